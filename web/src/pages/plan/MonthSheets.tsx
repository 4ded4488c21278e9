import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router-dom";
import { Label, Table } from "@trussworks/react-uswds";
import { api, data } from "../../api/client";
import { Problem } from "../../components/Layout";
import { monthOf } from "./attendance";

function MonthPicker({ value, onChange }: { value: string; onChange: (month: string) => void }) {
  return (
    <>
      <Label htmlFor="month">Month</Label>
      <input className="usa-input" id="month" name="month" type="month" value={value} onChange={(e) => e.target.value && onChange(e.target.value)} />
    </>
  );
}

function Rows({ caption, rows }: { caption: string; rows: [string, string | number | boolean | null | undefined][] }) {
  return (
    <Table bordered compact caption={caption}>
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{value === null || value === undefined ? "—" : String(value)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The Earnfare month sheet: CW hours (verified) against the monthly benefit hours, TJ hours against 35,
 * the stipend, and the subsidised days left this year. */
export function EarnfareSheet() {
  const { customerId = "" } = useParams();
  const [month, setMonth] = useState(monthOf(new Date()));
  const sheet = useQuery({
    queryKey: ["earnfare", customerId, month],
    queryFn: async () => data(await api.GET("/api/plans/{customer_id}/earnfare/{month}", { params: { path: { customer_id: customerId, month } } })),
  });
  const s = sheet.data;
  return (
    <>
      <h1>Earnfare month sheet</h1>
      <p><Link to={`/customers/${customerId}`}>Back to the customer</Link></p>
      <MonthPicker value={month} onChange={setMonth} />
      <Problem error={sheet.error} />
      {s && (
        <Rows
          caption={`Earnfare hours and stipend, ${s.month} (verified attendance only)`}
          rows={[
            ["Benefit amount", s.benefit_amount],
            ["Community Workfare hours", `${s.community_workfare_hours} of ${s.community_workfare_target}`],
            ["Transitional Job hours", `${s.transitional_job_hours} of ${s.transitional_job_target}`],
            ["Total hours", s.total_hours],
            ["SNAP work-off hours", s.work_off_hours],
            ["Stipend hours", s.stipend_hours],
            ["State minimum wage", s.minimum_wage],
            ["Stipend issued", s.stipend_issued],
            ["Subsidised days left this year (as of the month's end)", s.subsidised_days_remaining],
          ]}
        />
      )}
    </>
  );
}

/** The customer's ABAWD months: hours that count toward 80 a month. */
export function AbawdMonths() {
  const { customerId = "" } = useParams();
  const months = useQuery({
    queryKey: ["abawd", customerId],
    queryFn: async () => data(await api.GET("/api/plans/{customer_id}/abawd", { params: { path: { customer_id: customerId }, query: { months: 6 } } })),
  });
  return (
    <>
      <h1>ABAWD hours</h1>
      <p><Link to={`/customers/${customerId}`}>Back to the customer</Link></p>
      <Problem error={months.error} />
      <Table bordered compact fullWidth caption="Hours toward the ABAWD work requirement (80 a month)">
        <thead>
          <tr>
            <th scope="col">Month</th><th scope="col">Verified attendance</th><th scope="col">Employment</th><th scope="col">Total</th>
            <th scope="col">80 met</th><th scope="col">Short by</th><th scope="col">Days left</th>
          </tr>
        </thead>
        <tbody>
          {(months.data ?? []).map((m) => (
            <tr key={m.month}>
              <th scope="row">{m.month}</th><td>{m.attendance_hours}</td><td>{m.employment_hours}</td><td>{m.total_hours}</td>
              <td>{m.met ? "Yes" : "No"}</td><td>{m.hours_short}</td><td>{m.days_left}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

/** The caseworker's worklist: customers of the caller's locations under 80 hours this month. */
export function AbawdWorklist() {
  const [month, setMonth] = useState(monthOf(new Date()));
  const atRisk = useQuery({
    queryKey: ["abawd-at-risk", month],
    queryFn: async () => data(await api.GET("/api/abawd/at-risk", { params: { query: { month } } })),
  });
  return (
    <>
      <h1>ABAWD worklist</h1>
      <MonthPicker value={month} onChange={setMonth} />
      <Problem error={atRisk.error} />
      <Table bordered compact fullWidth caption={`Customers under 80 hours in ${month}`}>
        <thead>
          <tr>
            <th scope="col">Customer</th><th scope="col">Total hours</th><th scope="col">Short by</th><th scope="col">Days left</th>
          </tr>
        </thead>
        <tbody>
          {(atRisk.data ?? []).map((row) => (
            <tr key={row.customer_id}>
              <th scope="row">
                <Link to={`/customers/${row.customer_id}/abawd`}>{row.last_name}, {row.first_name}</Link>
              </th>
              <td>{row.total_hours}</td><td>{row.hours_short}</td><td>{row.days_left}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
