import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Checkbox, Label, Select, Table } from "@trussworks/react-uswds";
import { api, data, type Schemas } from "../../api/client";
import { Problem } from "../../components/Layout";
import { groupRowDays, sundayOf, weekDays, WEEKDAYS, type GroupRow } from "./attendance";

type Member = Schemas["CohortMember"];
type Outcome = Schemas["RowOutcomeOut"];

/** Group attendance: one week for a cohort (customers on the same activity at one location); each row is
 * saved on its own, and a refused row shows its reason while the others are saved. */
export function GroupAttendance() {
  const cohorts = useQuery({ queryKey: ["cohorts"], queryFn: async () => data(await api.GET("/api/attendance/cohorts")) });
  const [cohort, setCohort] = useState("");
  const [weekOf, setWeekOf] = useState(sundayOf(new Date().toISOString().slice(0, 10)));
  const [location, code] = cohort ? cohort.split("|") : ["", ""];
  return (
    <>
      <h1>Group attendance</h1>
      <Problem error={cohorts.error} />
      <Label htmlFor="cohort">Cohort</Label>
      <Select id="cohort" name="cohort" value={cohort} onChange={(e) => setCohort(e.target.value)}>
        <option value="">- choose -</option>
        {(cohorts.data ?? []).map((c) => (
          <option key={`${c.location}|${c.activity_code}`} value={`${c.location}|${c.activity_code}`}>
            {c.location}: {c.activity_name} ({c.customers} customers)
          </option>
        ))}
      </Select>
      <Label htmlFor="group-week">Week (any day of it)</Label>
      <input className="usa-input" id="group-week" name="week" type="date" value={weekOf} onChange={(e) => e.target.value && setWeekOf(sundayOf(e.target.value))} />
      {cohort && <CohortWeek key={`${cohort}|${weekOf}`} location={location} code={code} weekStart={weekOf} />}
    </>
  );
}

function startingRow(member: Member): GroupRow {
  const saved = new Set(member.week.days.map((d) => d.day));
  const first = member.week.days[0];
  return {
    customer_id: member.customer_id,
    check_in: first?.check_in.slice(0, 5) ?? "",
    lunch_start: first?.lunch_start?.slice(0, 5) ?? "",
    lunch_end: first?.lunch_end?.slice(0, 5) ?? "",
    check_out: first?.check_out.slice(0, 5) ?? "",
    attended: weekDays(member.week.week_start).map((day) => saved.has(day)),
  };
}

function CohortWeek({ location, code, weekStart }: { location: string; code: string; weekStart: string }) {
  const queries = useQueryClient();
  const path = { location, activity_code: code as Schemas["Cohort"]["activity_code"], week_start: weekStart };
  const members = useQuery({
    queryKey: ["cohort", location, code, weekStart],
    queryFn: async () => data(await api.GET("/api/attendance/cohorts/{location}/{activity_code}/{week_start}", { params: { path } })),
  });
  const [rows, setRows] = useState<Record<string, GroupRow>>({});
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const save = useMutation({
    mutationFn: async (verify: boolean) => {
      // Rows with no day ticked are left as they are.
      const rows = Object.values(rowsOf()).map((row) => ({ customer_id: row.customer_id, days: groupRowDays(row, weekStart) }));
      const body = { rows: rows.filter((row) => row.days.length > 0), verify };
      return data(await api.PUT("/api/attendance/cohorts/{location}/{activity_code}/{week_start}", { params: { path }, body }));
    },
    onSuccess: (answer) => {
      setOutcomes(Object.fromEntries(answer.map((o) => [o.customer_id, o])));
      queries.invalidateQueries({ queryKey: ["cohort", location, code, weekStart] });
    },
  });
  if (!members.data) return <Problem error={members.error} />;
  const rowsOf = () => Object.fromEntries(members.data.map((m) => [m.customer_id, rows[m.customer_id] ?? startingRow(m)]));
  const current = rowsOf();
  const set = (id: string, change: Partial<GroupRow>) => setRows({ ...rows, [id]: { ...current[id], ...change } });
  const days = weekDays(weekStart);
  return (
    <>
      <Table bordered compact fullWidth caption={`Week of ${weekStart}: one schedule per customer, ticked days attended`}>
        <thead>
          <tr>
            <th scope="col">Customer</th><th scope="col">State</th><th scope="col">Check-in</th><th scope="col">Lunch start</th>
            <th scope="col">Lunch end</th><th scope="col">Check-out</th>
            {WEEKDAYS.map((d, n) => <th scope="col" key={d}>{d} {days[n].slice(5)}</th>)}
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {members.data.map((m) => {
            const row = current[m.customer_id];
            const outcome = outcomes[m.customer_id];
            const locked = m.week.state === "Verified";
            return (
              <tr key={m.customer_id}>
                <th scope="row">{m.last_name}, {m.first_name}</th>
                <td>{m.week.state ?? "Not entered"}</td>
                {(["check_in", "lunch_start", "lunch_end", "check_out"] as const).map((field) => (
                  <td key={field}>
                    <input className="usa-input" type="time" aria-label={`${field.replace("_", " ")} ${m.last_name}, ${m.first_name}`} disabled={locked}
                      value={row[field]} onChange={(e) => set(m.customer_id, { [field]: e.target.value })} />
                  </td>
                ))}
                {days.map((day, n) => (
                  <td key={day}>
                    <Checkbox id={`${m.customer_id}-${day}`} name="attended" label={<span className="usa-sr-only">{`${m.last_name} ${day}`}</span>} disabled={locked}
                      checked={row.attended[n]} onChange={(e) => set(m.customer_id, { attended: row.attended.map((t, i) => (i === n ? e.target.checked : t)) })} />
                  </td>
                ))}
                <td data-testid={`outcome-${m.customer_id}`}>{outcome ? (outcome.saved ? "Saved" : `${outcome.field}: ${outcome.rule}`) : ""}</td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      <Button type="button" onClick={() => save.mutate(false)}>Save</Button>
      <Button type="button" onClick={() => save.mutate(true)}>Submit and Verify</Button>
      <Problem error={save.error} />
      {members.data.length === 0 && <p>No customers on this activity here.</p>}
    </>
  );
}
