import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Form, Label, Select, Table, TextInput } from "@trussworks/react-uswds";
import { api, authorizedFetch, data, saveDownload, type Schemas } from "../../api/client";
import { Problem } from "../../components/Layout";
import {
  COLUMNS, STATUSES, bulkRows, filterParams, resultRows, shown,
  type CellRow, type Editable, type Edits, type Filter, type RowOutcome,
} from "./customerServices";

type ActivityCode = Schemas["ActivityCode"];
type Cell = { code: ActivityCode; name: string; status: string; label: string };
const PAGE_SIZE = 50;
const REPORT = "/api/reports/customer-services";

function query(params: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(params).map(([name, value]) => [name, String(value)])).toString();
}

async function download(url: string, fallback: string, setProblem: (error: unknown) => void) {
  try {
    await saveDownload(await authorizedFetch(url), fallback);
  } catch (error) {
    setProblem(error);
  }
}

/** The Customer Services Report: a filter, the matrix of activities × status counts, a cell's rows edited
 * and saved at once (each row's outcome shown), CSV export and import. */
export function CustomerServicesReport() {
  const [filter, setFilter] = useState<Filter>({});
  const [cell, setCell] = useState<Cell | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const params = filterParams(filter);
  const matrix = useQuery({
    queryKey: ["customer-services", params],
    queryFn: async () => data(await api.GET(REPORT, { params: { query: params as never } })),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilter(Object.fromEntries([...form.entries()].map(([name, value]) => [name, String(value)])));
    setCell(null);
  }

  return (
    <>
      <h1>Customer Services Report</h1>
      <Form onSubmit={submit} large>
        <Label htmlFor="report-program">Program</Label>
        <Select id="report-program" name="program" defaultValue="">
          <option value="">(all)</option><option>SNAP JP</option><option>SNAP to Success</option><option>Earnfare</option>
        </Select>
        <Label htmlFor="report-service_type">Service type</Label>
        <Select id="report-service_type" name="service_type" defaultValue="">
          <option value="">(all)</option><option>SNAP E&amp;T activity</option><option>Other E&amp;T activity</option>
          <option>Support service</option><option>Referral to other services</option>
        </Select>
        <Label htmlFor="report-grantee">Grantee (provider id)</Label>
        <TextInput id="report-grantee" name="grantee" type="text" />
        <Label htmlFor="report-service_provider">Service provider (location id)</Label>
        <TextInput id="report-service_provider" name="service_provider" type="text" />
        <Label htmlFor="report-start_from">Start date from</Label>
        <input className="usa-input" id="report-start_from" name="start_from" type="date" />
        <Label htmlFor="report-start_to">Start date to</Label>
        <input className="usa-input" id="report-start_to" name="start_to" type="date" />
        <Label htmlFor="report-enrolment">Enrolment status</Label>
        <Select id="report-enrolment" name="enrolment" defaultValue="">
          <option value="">(all)</option><option value="enrolled">Enrolled</option><option value="exited">Exited</option>
        </Select>
        <Button type="submit">Show report</Button>
      </Form>
      <Problem error={matrix.error ?? problem} />
      {matrix.data && (
        <>
          <p>
            Customers in the filter: <span data-testid="report-population">{matrix.data.population}</span>.{" "}
            <Button type="button" unstyled onClick={() => download(`${REPORT}.csv?${query(params)}`, "customer-services.csv", setProblem)}>
              Export report CSV
            </Button>
          </p>
          <Table bordered fullWidth scrollable caption="Activities by status">
            <thead>
              <tr>
                <th scope="col">Activity</th>
                {COLUMNS.map((column) => <th scope="col" key={column.field}>{column.label}</th>)}
              </tr>
            </thead>
            <tbody>
              {matrix.data.rows.map((row) => (
                <tr key={row.activity_code}>
                  <th scope="row">{row.activity_code} {row.name}</th>
                  {COLUMNS.map((column) => (
                    <td key={column.field}>
                      <Button
                        type="button" unstyled aria-label={`${row.activity_code} ${column.label}: ${row[column.field]}`}
                        onClick={() => setCell({ code: row.activity_code, name: row.name, status: column.cell, label: column.label })}
                      >
                        {row[column.field]}
                      </Button>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
      {cell && <CellRows key={`${cell.code}|${cell.status}|${query(params)}`} cell={cell} params={params} />}
      <ImportCsv />
    </>
  );
}

function CellRows({ cell, params }: { cell: Cell; params: Record<string, string> }) {
  const queries = useQueryClient();
  const [page, setPage] = useState(1);
  const [edits, setEdits] = useState<Edits>({});
  const [outcomes, setOutcomes] = useState<RowOutcome[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const wanted = { ...params, activity_code: cell.code, status: cell.status };
  const rows = useQuery({
    queryKey: ["customer-services-cell", wanted, page],
    queryFn: async () => data(await api.GET(`${REPORT}/cell`, { params: { query: { ...wanted, page, page_size: PAGE_SIZE } as never } })),
  });
  const editable = cell.status !== "without";
  const outcomeOf = new Map((outcomes ?? []).map((outcome) => [outcome.activity_id, outcome]));

  function edit(row: CellRow, name: Editable, value: string) {
    const id = row.activity_id ?? "";
    setEdits((before) => ({ ...before, [id]: { ...before[id], [name]: value } }));
  }

  async function saveAll() {
    const changed = bulkRows(rows.data?.items ?? [], edits);
    if (!changed.length) return;
    setSaving(true);
    setProblem(null);
    try {
      const answered = data(await api.POST(`${REPORT}/bulk`, { body: { rows: changed } }));
      setOutcomes(answered);
      // A refused row keeps what was typed, to be corrected; a saved one shows what was saved.
      const refused = new Set(answered.filter((o) => o.outcome !== "ok").map((o) => o.activity_id));
      setEdits((before) => Object.fromEntries(Object.entries(before).filter(([id]) => refused.has(id))));
      await queries.invalidateQueries({ queryKey: ["customer-services"] });
      await queries.invalidateQueries({ queryKey: ["customer-services-cell"] });
    } catch (error) {
      setProblem(error);
    } finally {
      setSaving(false);
    }
  }

  const total = rows.data?.total ?? 0;
  return (
    <section aria-labelledby="cell-heading" className="margin-top-4">
      <h2 id="cell-heading">{cell.code} {cell.name}: {cell.label}</h2>
      <p>
        {total} rows.{" "}
        <Button type="button" unstyled onClick={() => download(`${REPORT}/cell.csv?${query(wanted)}`, `customer-services-${cell.code}.csv`, setProblem)}>
          Export rows CSV
        </Button>
      </p>
      <Problem error={rows.error ?? problem} />
      <Table bordered fullWidth scrollable caption="Rows of the cell">
        <thead>
          <tr>
            <th scope="col">Customer</th><th scope="col">Status</th><th scope="col">Start</th><th scope="col">Planned due</th>
            <th scope="col">Weekly hours</th><th scope="col">Completion</th><th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {(rows.data?.items ?? []).map((row) => {
            const id = row.activity_id ?? row.customer_id;
            const outcome = row.activity_id ? outcomeOf.get(row.activity_id) : undefined;
            return (
              <tr key={id}>
                <th scope="row"><Link to={`/customers/${row.customer_id}`}>{row.customer_name}</Link></th>
                {editable ? (
                  <>
                    <td>
                      <Select id={`status-${id}`} name="status" style={{ minWidth: "13rem" }} aria-label={`Status of ${row.customer_name}`} value={shown(row, edits, "status")} onChange={(e) => edit(row, "status", e.target.value)}>
                        {STATUSES.map((status) => <option key={status}>{status}</option>)}
                      </Select>
                    </td>
                    {(["start_date", "planned_due"] as const).map((name) => (
                      <td key={name}>
                        <input className="usa-input" id={`${name}-${id}`} name={name} type="date" aria-label={`${name === "start_date" ? "Start" : "Planned due"} of ${row.customer_name}`} value={shown(row, edits, name)} onChange={(e) => edit(row, name, e.target.value)} />
                      </td>
                    ))}
                    <td>
                      <TextInput id={`weekly_hours-${id}`} name="weekly_hours" type="text" inputMode="decimal" aria-label={`Weekly hours of ${row.customer_name}`} value={shown(row, edits, "weekly_hours")} onChange={(e) => edit(row, "weekly_hours", e.target.value)} />
                    </td>
                    <td>
                      <input className="usa-input" id={`completion_date-${id}`} name="completion_date" type="date" aria-label={`Completion of ${row.customer_name}`} value={shown(row, edits, "completion_date")} onChange={(e) => edit(row, "completion_date", e.target.value)} />
                    </td>
                  </>
                ) : (
                  <td colSpan={5}>without this activity</td>
                )}
                <td data-testid={`result-${id}`}>
                  {outcome && (outcome.outcome === "ok" ? "Saved" : `Refused: ${outcome.field ?? ""} ${outcome.reason ?? ""}`)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      <div>
        <Button type="button" outline disabled={page === 1} onClick={() => setPage(page - 1)}>Previous page</Button>
        <Button type="button" outline disabled={page * PAGE_SIZE >= total} onClick={() => setPage(page + 1)}>Next page</Button>
        {editable && <Button type="button" disabled={saving} onClick={saveAll}>Save all</Button>}
      </div>
      {outcomes && <Outcomes rows={outcomes.map((o) => ({ row: String(o.row), activity_id: o.activity_id, outcome: o.outcome, field: o.field ?? "", reason: o.reason ?? "" }))} caption="Results of the save" />}
    </section>
  );
}

function Outcomes({ rows, caption }: { rows: Record<string, string>[]; caption: string }) {
  const refused = rows.filter((row) => row.outcome !== "ok").length;
  return (
    <>
      <Alert type={refused ? "warning" : "success"} headingLevel="h3" slim>
        {rows.length - refused} saved, {refused} refused.
      </Alert>
      <Table bordered fullWidth caption={caption}>
        <thead>
          <tr><th scope="col">Row</th><th scope="col">Activity</th><th scope="col">Outcome</th><th scope="col">Field</th><th scope="col">Reason</th></tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.row}-${row.activity_id}`}>
              <td>{row.row}</td><td>{row.activity_id}</td><td>{row.outcome}</td><td>{row.field}</td><td>{row.reason}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

/** A cell's CSV, edited, uploaded back: every row's outcome shown from the result file. */
function ImportCsv() {
  const queries = useQueryClient();
  const [result, setResult] = useState<Record<string, string>[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = new FormData(event.currentTarget).get("rows-file") as File | null;
    if (!file || !file.name) return;
    const body = new FormData();
    body.append("file", file);
    setProblem(null);
    setResult(null);
    try {
      const answer = await authorizedFetch(`${REPORT}/import`, { method: "POST", body });
      setResult(resultRows(await answer.text()));
      await queries.invalidateQueries({ queryKey: ["customer-services"] });
      await queries.invalidateQueries({ queryKey: ["customer-services-cell"] });
    } catch (error) {
      setProblem(error);
    }
  }

  return (
    <section aria-labelledby="import-heading" className="margin-top-4">
      <h2 id="import-heading">Import rows CSV</h2>
      <Form onSubmit={submit}>
        <Label htmlFor="rows-file">Rows CSV (as exported from a cell)</Label>
        <input className="usa-file-input" id="rows-file" name="rows-file" type="file" accept=".csv,text/csv" required />
        <Problem error={problem} />
        <Button type="submit">Import CSV</Button>
      </Form>
      {result && <Outcomes rows={result} caption="Results of the import" />}
    </section>
  );
}
