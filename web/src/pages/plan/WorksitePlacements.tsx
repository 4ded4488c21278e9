import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Form, Label, Select, Table, TextInput } from "@trussworks/react-uswds";
import { api, data } from "../../api/client";
import { Problem } from "../../components/Layout";
import { PLACEMENT_STATUSES, POSITION_TYPES, datesForStatus, followUpState, placementBody, placementChange, type Placement } from "./placementForms";

/** Worksite Placements of a customer: on each worksite-based activity (CW, TJ, OJT, INT) its placements,
 * a form to add one, status changes and follow-ups to verify. */
export function WorksitePlacements() {
  const customerId = useParams().customerId ?? "";
  const path = { customer_id: customerId };
  const activities = useQuery({
    queryKey: ["activities", customerId],
    queryFn: async () => data(await api.GET("/api/plans/{customer_id}/activities", { params: { path } })),
  });
  const placements = useQuery({
    queryKey: ["placements", customerId],
    queryFn: async () => data(await api.GET("/api/plans/{customer_id}/placements", { params: { path } })),
  });
  const days = useQuery({
    queryKey: ["placements", customerId, "subsidised-days"],
    queryFn: async () => data(await api.GET("/api/plans/{customer_id}/placements/subsidised-days", { params: { path } })),
  });
  const worksiteBased = (activities.data ?? []).filter((activity) => activity.worksite_based);
  return (
    <>
      <h1>Worksite placements</h1>
      <p><Link to={`/customers/${customerId}`}>Back to the customer</Link></p>
      <Problem error={activities.error ?? placements.error} />
      {days.data && (
        <p data-testid="subsidised-days">
          Subsidised days: {days.data.total} in all, {days.data.this_year} in {days.data.year}; {days.data.remaining} of {days.data.limit} remain this year once the placements run to their planned end.
        </p>
      )}
      {activities.data && worksiteBased.length === 0 && <p>No worksite-based activity (CW, TJ, OJT, INT) in this plan.</p>}
      {worksiteBased.map((activity) => (
        <section key={activity.id} aria-labelledby={`activity-${activity.id}`}>
          <h2 id={`activity-${activity.id}`}>{activity.name} ({activity.status})</h2>
          {(placements.data ?? []).filter((p) => p.activity_id === activity.id).map((placement) => (
            <PlacementCard key={placement.id} customerId={customerId} placement={placement} />
          ))}
          <AddPlacement customerId={customerId} activityId={activity.id} />
        </section>
      ))}
    </>
  );
}

function useRefresh(customerId: string) {
  const queries = useQueryClient();
  // A placement started or ended changes the jobs' openings filled too.
  return () => Promise.all([queries.invalidateQueries({ queryKey: ["placements", customerId] }), queries.invalidateQueries({ queryKey: ["jobs"] })]);
}

function AddPlacement({ customerId, activityId }: { customerId: string; activityId: string }) {
  const refresh = useRefresh(customerId);
  const [problem, setProblem] = useState<unknown>(null);
  const [start, setStart] = useState("");
  const jobs = useQuery({ queryKey: ["jobs"], queryFn: async () => data(await api.GET("/api/jobs", { params: { query: { page_size: 500 } } })) });
  const minimum = useQuery({
    queryKey: ["minimum-wage", start],
    enabled: /^\d{4}-\d{2}-\d{2}$/.test(start),
    queryFn: async () =>
      data(await api.GET("/api/plans/{customer_id}/placements/minimum-wage", { params: { path: { customer_id: customerId }, query: { on: start } } })),
  });
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setProblem(null);
    try {
      data(await api.POST("/api/plans/{customer_id}/activities/{activity_id}/placements", {
        params: { path: { customer_id: customerId, activity_id: activityId } },
        body: placementBody(new FormData(form)),
      }));
      form.reset();
      setStart("");
      await refresh();
    } catch (error) {
      setProblem(error);
    }
  }
  const id = (name: string) => `add-${activityId}-${name}`;
  return (
    <Form onSubmit={submit} large>
      <h3>Add placement</h3>
      <Label htmlFor={id("job_id")}>Job</Label>
      <Select id={id("job_id")} name="job_id" required defaultValue="">
        <option value="" disabled>Choose a job</option>
        {(jobs.data?.items ?? []).map((job) => (
          <option key={job.id} value={job.id}>{job.title} — {job.employer_name}, {job.worksite_name} ({job.openings - job.openings_filled} open)</option>
        ))}
      </Select>
      <Label htmlFor={id("position_type")}>Position type</Label>
      <Select id={id("position_type")} name="position_type" required>
        {POSITION_TYPES.map((type) => <option key={type}>{type}</option>)}
      </Select>
      <Label htmlFor={id("start_date")}>Start date</Label>
      <input className="usa-input" id={id("start_date")} name="start_date" type="date" required value={start} onChange={(e) => setStart(e.target.value)} />
      <p data-testid="minimum-wage">
        {minimum.data ? `Minimum wage for placement: $${minimum.data.minimum_wage}` : "Minimum wage for placement: enter the start date"}
      </p>
      <Label htmlFor={id("planned_due_date")}>Planned due date</Label>
      <input className="usa-input" id={id("planned_due_date")} name="planned_due_date" type="date" required />
      <Label htmlFor={id("hourly_wage")}>Hourly wage</Label>
      <TextInput id={id("hourly_wage")} name="hourly_wage" type="text" inputMode="decimal" required />
      <Label htmlFor={id("subsidised_wage")}>Subsidised wage / training-wage match</Label>
      <TextInput id={id("subsidised_wage")} name="subsidised_wage" type="text" inputMode="decimal" required />
      <Label htmlFor={id("employer_wage_match")}>Unsubsidised / employer wage match</Label>
      <TextInput id={id("employer_wage_match")} name="employer_wage_match" type="text" inputMode="decimal" />
      <Label htmlFor={id("status")}>Status</Label>
      <Select id={id("status")} name="status">
        {PLACEMENT_STATUSES.slice(0, 2).map((status) => <option key={status}>{status}</option>)}
      </Select>
      <Problem error={problem} />
      <Button type="submit">Add placement</Button>
    </Form>
  );
}

function PlacementCard({ customerId, placement }: { customerId: string; placement: Placement }) {
  const refresh = useRefresh(customerId);
  const [problem, setProblem] = useState<unknown>(null);
  const [status, setStatus] = useState("");
  const path = { customer_id: customerId, placement_id: placement.id };
  async function change(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setProblem(null);
    try {
      data(await api.PATCH("/api/plans/{customer_id}/placements/{placement_id}", { params: { path }, body: placementChange(new FormData(form)) }));
      form.reset();
      setStatus("");
      await refresh();
    } catch (error) {
      setProblem(error);
    }
  }
  async function verify(days: number) {
    setProblem(null);
    try {
      data(await api.POST("/api/plans/{customer_id}/placements/{placement_id}/follow-ups/{days}/verify", { params: { path: { ...path, days } } }));
      await refresh();
    } catch (error) {
      setProblem(error);
    }
  }
  const id = (name: string) => `change-${placement.id}-${name}`;
  return (
    <article aria-label={`Placement as ${placement.job_title}`} className="margin-bottom-4">
      <h3>{placement.job_title} at {placement.employer_name} — {placement.status}</h3>
      <dl>
        <dt>Worksite</dt><dd>{placement.worksite_name}, {placement.worksite_address}</dd>
        <dt>Position</dt><dd>{placement.position_type}</dd>
        <dt>Dates</dt><dd>start {placement.start_date}, planned due {placement.planned_due_date}{placement.end_date ? `, end ${placement.end_date}` : ""}</dd>
        <dt>Wages</dt>
        <dd>hourly ${placement.hourly_wage}, subsidised ${placement.subsidised_wage}, employer match ${placement.employer_wage_match} (minimum wage for placement ${placement.minimum_wage})</dd>
        <dt>Subsidised days</dt><dd>{placement.subsidised_days}{placement.inactive_since ? ` (inactive since ${placement.inactive_since})` : ""}</dd>
      </dl>
      <Table bordered caption="Follow-ups">
        <thead><tr><th scope="col">After</th><th scope="col">Due</th><th scope="col">State</th></tr></thead>
        <tbody>
          {placement.follow_ups.map((followUp) => {
            const state = followUpState(followUp);
            return (
              <tr key={followUp.days}>
                <td>{followUp.days} days</td><td>{followUp.due}</td>
                <td>{state.verifiable ? <Button type="button" unstyled onClick={() => verify(followUp.days)}>Verify {followUp.days}-day follow-up</Button> : state.text}</td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      <Table bordered caption="Status history">
        <thead><tr><th scope="col">Status</th><th scope="col">Inactive</th><th scope="col">Return</th><th scope="col">By</th><th scope="col">At</th></tr></thead>
        <tbody>
          {placement.status_history.map((entry, index) => (
            <tr key={index}>
              <td>{entry.status}</td><td>{entry.inactive_date ?? ""}</td><td>{entry.return_date ?? ""}</td><td>{entry.updated_by}</td>
              <td>{new Date(entry.updated_at).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Form onSubmit={change} large>
        <h4>Change placement</h4>
        <Label htmlFor={id("status")}>New status</Label>
        <Select id={id("status")} name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">(unchanged)</option>
          {PLACEMENT_STATUSES.map((s) => <option key={s}>{s}</option>)}
        </Select>
        {datesForStatus(status) && (<><Label htmlFor={id("end_date")}>End date</Label><input className="usa-input" id={id("end_date")} name="end_date" type="date" required /></>)}
        <Label htmlFor={id("inactive_date")}>Inactive date</Label>
        <input className="usa-input" id={id("inactive_date")} name="inactive_date" type="date" />
        <Label htmlFor={id("return_date")}>Return date</Label>
        <input className="usa-input" id={id("return_date")} name="return_date" type="date" />
        <Label htmlFor={id("planned_due_date")}>Planned due date</Label>
        <input className="usa-input" id={id("planned_due_date")} name="planned_due_date" type="date" />
        <Label htmlFor={id("hourly_wage")}>Hourly wage</Label>
        <TextInput id={id("hourly_wage")} name="hourly_wage" type="text" inputMode="decimal" />
        <Label htmlFor={id("subsidised_wage")}>Subsidised wage</Label>
        <TextInput id={id("subsidised_wage")} name="subsidised_wage" type="text" inputMode="decimal" />
        <Problem error={problem} />
        <Button type="submit">Save placement</Button>
      </Form>
    </article>
  );
}
