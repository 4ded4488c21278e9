import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Alert, Button, Form, Grid, Label, Select, Table, TextInput } from "@trussworks/react-uswds";
import { api, authorizedFetch, data, saveDownload, type Schemas } from "../api/client";
import { Problem } from "../components/Layout";
import { useLocations } from "../api/locations";
import { DueItems } from "../components/DueItems";
import { useAuth } from "../auth";

type Query = NonNullable<NonNullable<import("../api/schema").paths["/api/customers"]["get"]["parameters"]["query"]>>;
const ET_STATUSES: Schemas["EtStatus"][] = [
  "IES Matched", "Initial Assessment Complete", "Pending Referral Approval", "Not Enrolled",
  "Pending Activity Start Date", "Wait List", "Referral Rejected", "Active", "Inactive", "Retention",
  "Never Active", "Exited",
];
const SORTS: Record<NonNullable<Query["sort"]>, string> = {
  last_name: "Last name", first_name: "First name", individual_number: "Individual number",
  et_status: "E&T status", et_status_date: "E&T status date", enrollment_date: "Enrollment date",
};
const PROGRAMS: Schemas["Program"][] = ["SNAP JP", "SNAP to Success", "Earnfare"];
const SNAP_ELIGIBILITIES: Schemas["SnapEligibility"][] = ["Yes", "No", "Pending Application"];
const SEARCH_FIELDS = [
  "name", "individual_number", "snap_case_number", "et_status", "provider", "program", "snap_eligibility", "fiscal_year",
  "sort", "order",
] as const;
const PAGE_SIZE = 25;

function queryOf(params: URLSearchParams): Query {
  const query: Record<string, string | number> = {};
  for (const field of SEARCH_FIELDS) {
    const value = params.get(field);
    if (value) query[field] = field === "fiscal_year" ? Number(value) : value;
  }
  return { ...(query as Query), page: Number(params.get("page") ?? 1), page_size: PAGE_SIZE };
}

export function CustomerList() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const query = queryOf(params);
  const locations = useLocations();
  const customers = useQuery({
    queryKey: ["customers", query],
    queryFn: async () => data(await api.GET("/api/customers", { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const [exportProblem, setExportProblem] = useState<unknown>(null);
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const me = useAuth().session!.me;

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const field of SEARCH_FIELDS) {
      const value = String(form.get(field) ?? "").trim();
      if (value) next.set(field, value);
    }
    setParams(next);
  }

  function page(number: number) {
    const next = new URLSearchParams(params);
    next.set("page", String(number));
    setParams(next);
  }

  async function exportCsv() {
    setExportProblem(null);
    const { page: _page, page_size: _size, ...filter } = query;
    const search = new URLSearchParams(Object.entries(filter).map(([k, v]) => [k, String(v)]));
    try {
      saveDownload(await authorizedFetch(`/api/customers/export.csv?${search}`), "customers.csv");
    } catch (error) {
      setExportProblem(error);
    }
  }

  const result = customers.data;
  const pages = result ? Math.max(1, Math.ceil(result.total / result.page_size)) : 1;
  return (
    <>
      <h1>Customers</h1>
      {notice && (
        <Alert type="success" headingLevel="h2" slim>
          {notice}
        </Alert>
      )}
      {me.role !== "customer" && (
        <section aria-labelledby="due-items-heading" className="margin-bottom-4">
          <h2 id="due-items-heading">Due items</h2>
          <DueItems />
        </section>
      )}
      <Form onSubmit={search} large className="maxw-none" key={params.toString()}>
        <Grid row gap>
          <Grid tablet={{ col: 4 }}>
            <Label htmlFor="name">Name</Label>
            <TextInput id="name" name="name" type="search" defaultValue={params.get("name") ?? ""} />
          </Grid>
          <Grid tablet={{ col: 4 }}>
            <Label htmlFor="individual_number">IDHS individual number</Label>
            <TextInput id="individual_number" name="individual_number" type="text" defaultValue={params.get("individual_number") ?? ""} />
          </Grid>
          <Grid tablet={{ col: 4 }}>
            <Label htmlFor="snap_case_number">SNAP case number</Label>
            <TextInput id="snap_case_number" name="snap_case_number" type="text" defaultValue={params.get("snap_case_number") ?? ""} />
          </Grid>
          <Grid tablet={{ col: 3 }}>
            <Label htmlFor="et_status">E&amp;T status</Label>
            <Select id="et_status" name="et_status" defaultValue={params.get("et_status") ?? ""}>
              <option value="">Any</option>
              {ET_STATUSES.map((status) => (
                <option key={status}>{status}</option>
              ))}
            </Select>
          </Grid>
          <Grid tablet={{ col: 3 }}>
            <Label htmlFor="provider">Provider / location</Label>
            <Select id="provider" name="provider" defaultValue={params.get("provider") ?? ""}>
              <option value="">Any</option>
              {locations.data?.map((location) => (
                <option key={location.id} value={location.id}>
                  {location.id} — {location.name}
                </option>
              ))}
            </Select>
          </Grid>
          <Grid tablet={{ col: 3 }}>
            <Label htmlFor="program">Program</Label>
            <Select id="program" name="program" defaultValue={params.get("program") ?? ""}>
              <option value="">Any</option>
              {PROGRAMS.map((program) => (
                <option key={program}>{program}</option>
              ))}
            </Select>
          </Grid>
          <Grid tablet={{ col: 3 }}>
            <Label htmlFor="snap_eligibility">SNAP eligibility</Label>
            <Select id="snap_eligibility" name="snap_eligibility" defaultValue={params.get("snap_eligibility") ?? ""}>
              <option value="">Any</option>
              {SNAP_ELIGIBILITIES.map((eligibility) => (
                <option key={eligibility}>{eligibility}</option>
              ))}
            </Select>
          </Grid>
          <Grid tablet={{ col: 3 }}>
            <Label htmlFor="fiscal_year">Enrolled in fiscal year</Label>
            <TextInput id="fiscal_year" name="fiscal_year" type="number" min={2000} max={2100} defaultValue={params.get("fiscal_year") ?? ""} />
          </Grid>
          <Grid tablet={{ col: 3 }}>
            <Label htmlFor="sort">Sort by</Label>
            <Select id="sort" name="sort" defaultValue={params.get("sort") ?? "last_name"}>
              {Object.entries(SORTS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </Select>
          </Grid>
          <Grid tablet={{ col: 3 }}>
            <Label htmlFor="order">Order</Label>
            <Select id="order" name="order" defaultValue={params.get("order") ?? "asc"}>
              <option value="asc">Ascending (A–Z, oldest first)</option>
              <option value="desc">Descending (Z–A, newest first)</option>
            </Select>
          </Grid>
        </Grid>
        <Button type="submit">Search</Button>
        <Button type="button" outline onClick={exportCsv}>
          Export CSV
        </Button>
      </Form>
      <Problem error={exportProblem} />
      <Problem error={customers.error} />
      {result && (
        <>
          <p aria-live="polite">
            {result.total} customers · page {result.page} of {pages}
          </p>
          <Table fullWidth className="isets-table-wide" striped>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Individual number</th>
                <th scope="col">SNAP case</th>
                <th scope="col">County</th>
                <th scope="col">E&amp;T status</th>
                <th scope="col">Status date</th>
                <th scope="col">Enrolled</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((customer) => (
                <tr key={customer.id} onClick={() => navigate(`/customers/${customer.id}`)} style={{ cursor: "pointer" }}>
                  <td>
                    <Link to={`/customers/${customer.id}`}>
                      {customer.last_name}, {customer.first_name}
                    </Link>
                  </td>
                  <td>{customer.individual_number}</td>
                  <td>{customer.snap_case_number}</td>
                  <td>{customer.county}</td>
                  <td>{customer.et_status ?? "—"}</td>
                  <td>{customer.et_status_date ?? "—"}</td>
                  <td>{customer.enrollment_date ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </Table>
          <ul className="isets-cards usa-card-group" aria-label="Customers">
            {result.items.map((customer) => (
              <li key={customer.id} className="usa-card tablet:grid-col-6">
                <div className="usa-card__container">
                  <div className="usa-card__body">
                    <Link to={`/customers/${customer.id}`}>
                      {customer.last_name}, {customer.first_name}
                    </Link>
                    <div>
                      {customer.individual_number} · {customer.et_status ?? "no E&T status"}
                    </div>
                  </div>
                </div>
              </li>
            ))}
          </ul>
          <nav aria-label="Pages" className="margin-top-2">
            <Button type="button" outline disabled={result.page <= 1} onClick={() => page(result.page - 1)}>
              Previous page
            </Button>
            <Button type="button" outline disabled={result.page >= pages} onClick={() => page(result.page + 1)}>
              Next page
            </Button>
          </nav>
        </>
      )}
    </>
  );
}
