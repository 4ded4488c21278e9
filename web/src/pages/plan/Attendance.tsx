import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router-dom";
import { Alert, Button, Label, Select, Table, TextInput } from "@trussworks/react-uswds";
import { api, data, type Schemas } from "../../api/client";
import { useAuth } from "../../auth";
import { Problem } from "../../components/Layout";
import { dayHours, filledDays, weekDays, WEEKDAYS, type DayEntry } from "./attendance";

type Week = Schemas["WeekOut"];

/** A moment as the reader's local date and time. */
function shownAt(moment: string | null | undefined): string {
  return moment ? new Date(moment).toLocaleString() : "";
}

/** A customer's attendance: pick an activity, see its weeks with totals, open a week's day grid. */
export function Attendance() {
  const { customerId = "" } = useParams();
  const activities = useQuery({
    queryKey: ["activities", customerId],
    queryFn: async () => data(await api.GET("/api/plans/{customer_id}/activities", { params: { path: { customer_id: customerId } } })),
  });
  const dated = (activities.data ?? []).filter((a) => a.planned_start && a.planned_completion);
  const [activityId, setActivityId] = useState("");
  const chosen = activityId || dated.find((a) => a.status === "Started/Open")?.id || "";
  return (
    <>
      <h1>Attendance</h1>
      <p><Link to={`/customers/${customerId}`}>Back to the customer</Link></p>
      <Problem error={activities.error} />
      <Label htmlFor="attendance-activity">Activity</Label>
      <Select id="attendance-activity" name="activity" style={{ maxWidth: "none" }} value={chosen} onChange={(e) => setActivityId(e.target.value)}>
        <option value="">- choose -</option>
        {dated.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name} ({a.status}, {a.planned_start} to {a.planned_completion})
          </option>
        ))}
      </Select>
      {chosen && <ActivityWeeks customerId={customerId} activityId={chosen} />}
    </>
  );
}

function ActivityWeeks({ customerId, activityId }: { customerId: string; activityId: string }) {
  const path = { customer_id: customerId, activity_id: activityId };
  const attendance = useQuery({
    queryKey: ["attendance", customerId, activityId],
    queryFn: async () => data(await api.GET("/api/plans/{customer_id}/activities/{activity_id}/attendance", { params: { path } })),
  });
  const [open, setOpen] = useState<string | null>(null);
  if (!attendance.data) return <Problem error={attendance.error} />;
  const found = attendance.data;
  const week = found.weeks.find((w) => w.week_start === open);
  return (
    <>
      <p data-testid="attendance-totals">
        Hours attended {found.hours_attended} · hours verified {found.hours_verified}
      </p>
      <Table bordered compact fullWidth caption="Weeks of the activity (Sunday to Saturday)">
        <thead>
          <tr>
            <th scope="col">Week</th><th scope="col">Total hours</th><th scope="col">State</th><th scope="col">Verified by</th>
          </tr>
        </thead>
        <tbody>
          {found.weeks.map((w) => (
            <tr key={w.week_start}>
              <th scope="row">
                <Button type="button" unstyled onClick={() => setOpen(w.week_start)}>
                  Week of {w.week_start}
                </Button>
              </th>
              <td>{w.total_hours}</td>
              <td>{w.state ?? "Not entered"}</td>
              <td>{w.verified_by ? `${w.verified_by}, ${shownAt(w.verified_at)}` : "—"}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      {week && <WeekGrid key={week.week_start + (week.state ?? "")} customerId={customerId} activityId={activityId} week={week} />}
    </>
  );
}

function WeekGrid({ customerId, activityId, week }: { customerId: string; activityId: string; week: Week }) {
  const me = useAuth().session!.me;
  const staff = me.role !== "customer";
  const queries = useQueryClient();
  const path = { customer_id: customerId, activity_id: activityId, week_start: week.week_start };
  const saved = Object.fromEntries(week.days.map((d) => [d.day, d]));
  const [rows, setRows] = useState<DayEntry[]>(
    weekDays(week.week_start).map((day) => ({
      day,
      check_in: saved[day]?.check_in.slice(0, 5) ?? "",
      lunch_start: saved[day]?.lunch_start?.slice(0, 5) ?? "",
      lunch_end: saved[day]?.lunch_end?.slice(0, 5) ?? "",
      check_out: saved[day]?.check_out.slice(0, 5) ?? "",
    })),
  );
  const [reason, setReason] = useState("");
  const refresh = () => queries.invalidateQueries({ queryKey: ["attendance", customerId, activityId] });
  const save = useMutation({
    mutationFn: async (verify: boolean) => {
      const url = "/api/plans/{customer_id}/activities/{activity_id}/attendance/{week_start}" as const;
      data(await api.PUT(url, { params: { path }, body: { days: filledDays(rows) } }));
      if (verify) data(await api.POST(`${url}/verify`, { params: { path } }));
    },
    onSuccess: refresh,
  });
  const reopen = useMutation({
    mutationFn: async () =>
      data(await api.POST("/api/plans/{customer_id}/activities/{activity_id}/attendance/{week_start}/reopen", { params: { path }, body: { reason } })),
    onSuccess: refresh,
  });
  const verified = week.state === "Verified";
  const set = (n: number, field: keyof DayEntry, value: string) => setRows(rows.map((row, i) => (i === n ? { ...row, [field]: value } : row)));
  return (
    <section aria-label={`Week of ${week.week_start}`}>
      <h2>Week of {week.week_start}</h2>
      {verified && (
        <Alert type="info" headingLevel="h4" slim>
          Verified by {week.verified_by} at {shownAt(week.verified_at)}.
        </Alert>
      )}
      <Table bordered compact fullWidth caption="Days (check-in, lunch, check-out)">
        <thead>
          <tr>
            <th scope="col">Day</th><th scope="col">Check-in</th><th scope="col">Lunch start</th><th scope="col">Lunch end</th>
            <th scope="col">Check-out</th><th scope="col">Hours</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, n) => (
            <tr key={row.day}>
              <th scope="row">{WEEKDAYS[n]} {row.day}</th>
              {(["check_in", "lunch_start", "lunch_end", "check_out"] as const).map((field) => (
                <td key={field}>
                  <input
                    className="usa-input"
                    id={`${field}-${row.day}`}
                    name={field}
                    type="time"
                    aria-label={`${field.replace("_", " ")} ${row.day}`}
                    disabled={verified}
                    value={row[field] ?? ""}
                    onChange={(e) => set(n, field, e.target.value)}
                  />
                </td>
              ))}
              <td>{dayHours(row) ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      {!verified && (
        <>
          <Button type="button" onClick={() => save.mutate(false)}>Save</Button>
          {staff && <Button type="button" onClick={() => save.mutate(true)}>Submit and Verify</Button>}
        </>
      )}
      {verified && staff && (
        <>
          <Label htmlFor="reopen-reason">Reason to re-open</Label>
          <TextInput id="reopen-reason" name="reason" type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
          <Button type="button" onClick={() => reopen.mutate()}>Re-open</Button>
        </>
      )}
      <Problem error={save.error ?? reopen.error} />
      <h3>History</h3>
      <ul>
        {week.history.map((h, i) => (
          <li key={i}>
            {h.action} by {h.by} at {shownAt(h.at)}
            {h.reason && ` — ${h.reason}`}
          </li>
        ))}
      </ul>
    </section>
  );
}
