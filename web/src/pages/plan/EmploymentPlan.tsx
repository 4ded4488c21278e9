import { useState, type FormEvent, type ReactNode } from "react";
import { NavLink } from "react-router-dom";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Form, Label, Select, Table, Textarea, TextInput } from "@trussworks/react-uswds";
import { api, ApiError, authorizedFetch, data, type Activity, type ActivityOption, type CaseNote, type Goal, type Schemas } from "../../api/client";
import { useAuth } from "../../auth";
import { Problem } from "../../components/Layout";
import { can } from "../../roles";
import { useOverview } from "../../api/overview";
import { ACTIVITY_STATUSES, activityChange, needsCompletionDate, neverStarted, optionsByKind } from "./logic";

export const PLAN_SECTIONS = [
  ["overview", "Overview"],
  ["assessments", "Review Assessments"],
  ["goals", "Set Goals"],
  ["activities", "Add Activities/Services"],
  ["update-log", "Update Log"],
  ["case-notes", "Case Notes"],
] as const;
export type PlanSection = (typeof PLAN_SECTIONS)[number][0];

const GOAL_CATEGORIES: Schemas["GoalCategory"][] = ["Career Plan", "Education/Training Plan", "Support Services", "Independent Living"];
const GOAL_TERMS: Schemas["GoalTerm"][] = ["Short Term", "Long Term"];
const GOAL_STATUSES: Schemas["GoalStatus"][] = ["Not Started", "On Track", "Off Track", "Complete"];
const NOTE_CATEGORIES: Schemas["NoteCategory"][] = ["General", "Assessments", "Change in Activity", "Services", "Worksites", "Employment Retention", "Follow-up"];
const SEND_AS: Schemas["SendAs"][] = ["Save as case note only", "Illinois workNet message", "Illinois workNet message and email"];
const ASSESSMENTS: Schemas["AssessmentType"][] = [
  "Initial universal assessment", "Needs assessment", "TABE 11/12", "Employment 101 pre-test", "Employment 101 post-test", "Career Cluster Inventory", "NOCTI", "Other",
];
const PROVIDERS: Schemas["ServiceProvider"][] = ["Grantee", "WIOA provider", "Other provider"];

const today = () => new Date().toISOString().slice(0, 10);
const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();
const optional = (form: FormData, name: string) => text(form, name) || null;

/** A read of the plan; every change below reads the plan (and the customer's E&T status) again. */
function usePlanQuery<T>(customerId: string, part: string, read: () => Promise<T>) {
  return useQuery({ queryKey: ["plan", customerId, part], queryFn: read });
}

function usePlanChange<T>(customerId: string, change: (input: T) => Promise<unknown>, onDone?: () => void) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: () => {
      onDone?.();
      queries.invalidateQueries({ queryKey: ["plan", customerId] });
      queries.invalidateQueries({ queryKey: ["overview", customerId] });
    },
  });
}

function usePlan(customerId: string) {
  return usePlanQuery(customerId, "overview", async () => data(await api.GET("/api/plans/{customer_id}", { params: { path: { customer_id: customerId } } })));
}

export function EmploymentPlan({ customerId, section }: { customerId: string; section: PlanSection }) {
  const plan = usePlan(customerId);
  const title = PLAN_SECTIONS.find(([key]) => key === section)![1];
  let body: ReactNode;
  if (plan.error instanceof ApiError && plan.error.status === 404)
    body = <p>No employment plan yet: it starts when the customer is enrolled at a provider (their referral is accepted).</p>;
  else if (plan.error) body = <Problem error={plan.error} />;
  else if (!plan.data) body = <p>Loading…</p>;
  else
    body = {
      overview: <Overview customerId={customerId} plan={plan.data} />,
      assessments: <Assessments customerId={customerId} />,
      goals: <Goals customerId={customerId} goals={plan.data.goals} />,
      activities: <Activities customerId={customerId} plan={plan.data} />,
      "update-log": <UpdateLog customerId={customerId} />,
      "case-notes": <CaseNotes customerId={customerId} />,
    }[section];
  return (
    <section aria-labelledby="plan-heading">
      <h2 id="plan-heading">EP/Case Management</h2>
      <nav aria-label="EP/Case Management" className="isets-subnav">
        <ul className="usa-button-group">
          {PLAN_SECTIONS.map(([key, label]) => (
            <li key={key} className="usa-button-group__item">
              <NavLink to={`/customers/${customerId}/plan/${key}`} className={({ isActive }) => `usa-button ${isActive ? "" : "usa-button--outline"}`}>
                {label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <h3>{title}</h3>
      {body}
    </section>
  );
}

// --- Overview ------------------------------------------------------------------------------------------

function Overview({ customerId, plan }: { customerId: string; plan: Schemas["PlanOverview"] }) {
  const path = { customer_id: customerId };
  const summary = usePlanQuery(customerId, "summary", async () => data(await api.GET("/api/plans/{customer_id}/assessment-summary", { params: { path } })));
  const career = usePlanQuery(customerId, "career-path", async () => data(await api.GET("/api/plans/{customer_id}/career-path", { params: { path } })));
  const credentials = usePlanQuery(customerId, "credentials", async () => data(await api.GET("/api/plans/{customer_id}/credentials", { params: { path } })));
  return (
    <>
      <Agreement customerId={customerId} agreement={plan.agreement} />
      <h4>Assessments summary</h4>
      <dl className="isets-facts">
        <dt>Readiness</dt><dd>{summary.data?.readiness || "—"}</dd>
        <dt>Employment</dt><dd>{summary.data?.employment || "—"}</dd>
        <dt>Support services</dt><dd>{summary.data?.support_services || "—"}</dd>
      </dl>
      <h4>Desired career path</h4>
      <dl className="isets-facts">
        <dt>Pathway</dt><dd>{career.data?.pathway ?? "—"}</dd>
        <dt>Occupation 1</dt><dd>{career.data?.occupation_1 ?? "—"}</dd>
        <dt>Occupation 2</dt><dd>{career.data?.occupation_2 ?? "—"}</dd>
        <dt>Wage goal per hour</dt><dd>{career.data?.wage_goal != null ? `$${career.data.wage_goal}` : "—"}</dd>
      </dl>
      <h4>Accomplishments</h4>
      <ul>
        <li>Credentials: {credentials.data?.count ?? "—"}</li>
        <li>Completed goals: {plan.accomplishments.completed_goals}</li>
        <li>Completed activities: {plan.accomplishments.completed_activities}</li>
      </ul>
      <h4>Career plan</h4>
      {plan.goals.length === 0 && <p>No goals yet.</p>}
      {plan.goals.map((goal) => (
        <ActivityTable key={goal.id} caption={`Goal: ${goal.statement} — ${goal.category}, ${goal.term}, ${goal.status}; earliest start ${goal.earliest_start ?? "—"}, latest planned due ${goal.latest_planned_due ?? "—"}`} activities={goal.activities} />
      ))}
      {plan.activities_without_goal.length > 0 && <ActivityTable caption="Activities without a goal" activities={plan.activities_without_goal} />}
    </>
  );
}

function ActivityTable({ caption, activities }: { caption: string; activities: Activity[] }) {
  return (
    <Table bordered compact fullWidth caption={caption}>
      <thead>
        <tr><th scope="col">Activity</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Start</th><th scope="col">Planned due</th><th scope="col">Completed</th><th scope="col">Hours/week</th></tr>
      </thead>
      <tbody>
        {activities.length === 0 && <tr><td colSpan={7}>No activities under this goal yet.</td></tr>}
        {activities.map((activity) => (
          <tr key={activity.id}>
            <td>{activity.code} {activity.name}</td><td>{activity.kind}</td><td>{activity.status}</td><td>{activity.planned_start ?? "—"}</td>
            <td>{activity.planned_completion ?? "—"}</td><td>{activity.actual_completion ?? "—"}</td><td>{activity.weekly_hours}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function Agreement({ customerId, agreement }: { customerId: string; agreement: Schemas["PlanAgreement"] }) {
  const me = useAuth().session!.me;
  const path = { customer_id: customerId };
  const record = usePlanChange(customerId, async (wanted: Schemas["PlanAgreement"]) =>
    data(await api.POST("/api/plans/{customer_id}/agreement", { params: { path }, body: { agreement: wanted } })),
  );
  const upload = usePlanChange(customerId, async (file: File) => {
    const body = new FormData();
    body.append("file", file);
    return authorizedFetch(`/api/plans/${encodeURIComponent(customerId)}/agreement/signed-copy`, { method: "POST", body });
  });
  function uploadCopy(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = (event.currentTarget.elements.namedItem("signed-copy") as HTMLInputElement).files?.[0];
    if (file) upload.mutate(file);
  }
  return (
    <>
      <p>
        <strong>Plan agreement:</strong> <span data-testid="plan-agreement">{agreement}</span>
      </p>
      {agreement === "Pending" && (
        <Alert type="info" headingLevel="h4" slim>
          The customer is asked to agree to this plan (a new plan, a goal added, or a goal marked Off Track).
        </Alert>
      )}
      {agreement === "Pending" && can.agreeToPlan(me) && (
        <Button type="button" onClick={() => record.mutate("Agreed")} disabled={record.isPending}>I agree to my plan</Button>
      )}
      {can.recordAgreement(me) && (
        <>
          {agreement === "Pending" && (
            <Button type="button" outline onClick={() => record.mutate("Customer could not be reached")} disabled={record.isPending}>
              Customer could not be reached
            </Button>
          )}
          <Form onSubmit={uploadCopy}>
            <Label htmlFor="signed-copy">Signed copy of the plan (PDF, PNG or JPEG, at most 5 MB)</Label>
            <input className="usa-file-input" id="signed-copy" name="signed-copy" type="file" accept="application/pdf,image/png,image/jpeg" required />
            <Problem error={upload.error} />
            <Button type="submit" disabled={upload.isPending}>Upload signed copy</Button>
          </Form>
        </>
      )}
      <Problem error={record.error} />
    </>
  );
}

// --- Review Assessments -------------------------------------------------------------------------------

function Assessments({ customerId }: { customerId: string }) {
  const me = useAuth().session!.me;
  const path = { customer_id: customerId };
  const results = usePlanQuery(customerId, "assessments", async () => data(await api.GET("/api/plans/{customer_id}/assessments", { params: { path } })));
  const summary = usePlanQuery(customerId, "summary", async () => data(await api.GET("/api/plans/{customer_id}/assessment-summary", { params: { path } })));
  const career = usePlanQuery(customerId, "career-path", async () => data(await api.GET("/api/plans/{customer_id}/career-path", { params: { path } })));
  const [kind, setKind] = useState<Schemas["AssessmentType"]>("Initial universal assessment");
  const add = usePlanChange(customerId, async (body: Schemas["AssessmentResultIn"]) =>
    data(await api.POST("/api/plans/{customer_id}/assessments", { params: { path }, body })),
  );
  const revise = usePlanChange(customerId, async (body: Schemas["AssessmentSummaryIn"]) =>
    data(await api.PUT("/api/plans/{customer_id}/assessment-summary", { params: { path }, body })),
  );
  const setPath = usePlanChange(customerId, async (body: Schemas["CareerPathIn"]) =>
    data(await api.PUT("/api/plans/{customer_id}/career-path", { params: { path }, body })),
  );
  function addResult(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    add.mutate({
      assessment: kind, taken_on: text(form, "taken_on"), name: optional(form, "name"), subject: (optional(form, "subject") as Schemas["TabeSubject"] | null),
      score: optional(form, "score"), educational_functioning_level: optional(form, "efl") ? Number(text(form, "efl")) : null, result: optional(form, "result"),
    });
  }
  const fields = ["assessment", "taken_on", "name", "subject", "score", "educational_functioning_level", "result"];
  return (
    <>
      <Table bordered compact fullWidth caption="Assessment results">
        <thead><tr><th scope="col">Assessment</th><th scope="col">Taken on</th><th scope="col">Subject</th><th scope="col">Score</th><th scope="col">EFL</th><th scope="col">Result</th><th scope="col">Recorded by</th></tr></thead>
        <tbody>
          {results.data?.length === 0 && <tr><td colSpan={7}>No results yet.</td></tr>}
          {results.data?.map((r) => (
            <tr key={r.id}><td>{r.name}</td><td>{r.taken_on}</td><td>{r.subject ?? "—"}</td><td>{r.score ?? "—"}</td><td>{r.educational_functioning_level ?? "—"}</td><td>{r.result ?? "—"}</td><td>{r.recorded_by}</td></tr>
          ))}
        </tbody>
      </Table>
      {can.editPlan(me) && (
        <Form onSubmit={addResult} large>
          <h4>Add an assessment result</h4>
          <Label htmlFor="assessment">Assessment</Label>
          <Select id="assessment" name="assessment" value={kind} onChange={(e) => setKind(e.target.value as Schemas["AssessmentType"])}>
            {ASSESSMENTS.map((a) => <option key={a}>{a}</option>)}
          </Select>
          <Problem error={add.error} field="assessment" />
          <Label htmlFor="taken_on">Taken on</Label>
          <input className="usa-input" id="taken_on" name="taken_on" type="date" defaultValue={today()} required />
          <Problem error={add.error} field="taken_on" />
          {kind === "Other" && (
            <>
              <Label htmlFor="assessment-name">Name of the assessment</Label>
              <TextInput id="assessment-name" name="name" type="text" maxLength={200} />
              <Problem error={add.error} field="name" />
            </>
          )}
          {kind === "TABE 11/12" && (
            <>
              <Label htmlFor="subject">Subject</Label>
              <Select id="subject" name="subject">{["Reading", "Math", "Language"].map((s) => <option key={s}>{s}</option>)}</Select>
              <Label htmlFor="efl">Educational functioning level (1–6)</Label>
              <TextInput id="efl" name="efl" type="number" min={1} max={6} />
              <Problem error={add.error} field="educational_functioning_level" />
            </>
          )}
          <Label htmlFor="score">Score</Label>
          <TextInput id="score" name="score" type="text" inputMode="decimal" />
          <Problem error={add.error} field="score" />
          <Label htmlFor="result">Result in words</Label>
          <TextInput id="result" name="result" type="text" maxLength={500} />
          <Problem error={add.error} field="result" />
          <Problem error={add.error} except={fields} />
          <Button type="submit" disabled={add.isPending}>Add result</Button>
        </Form>
      )}
      {summary.data && can.editPlan(me) && (
        <Form key={summary.data.version} large onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          revise.mutate({ readiness: text(form, "readiness"), employment: text(form, "employment"), support_services: text(form, "support_services"), version: summary.data!.version });
        }}>
          <h4>Assessment summaries</h4>
          {(["readiness", "employment", "support_services"] as const).map((name) => (
            <div key={name}>
              <Label htmlFor={`summary-${name}`}>{{ readiness: "Readiness", employment: "Employment", support_services: "Support services" }[name]}</Label>
              <Textarea id={`summary-${name}`} name={name} defaultValue={summary.data![name]} maxLength={4000} />
              <Problem error={revise.error} field={name} />
            </div>
          ))}
          <Problem error={revise.error} except={["readiness", "employment", "support_services"]} />
          <Button type="submit" disabled={revise.isPending}>Save summaries</Button>
          <p>{summary.data.history.length} earlier version(s) kept.</p>
        </Form>
      )}
      {career.data && can.editPlan(me) && (
        <Form key={career.data.updated_at ?? "none"} large onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          setPath.mutate({ pathway: optional(form, "pathway"), occupation_1: optional(form, "occupation_1"), occupation_2: optional(form, "occupation_2"), wage_goal: optional(form, "wage_goal") });
        }}>
          <h4>Desired career path</h4>
          {([["pathway", "Pathway"], ["occupation_1", "Occupation 1"], ["occupation_2", "Occupation 2"], ["wage_goal", "Wage goal per hour ($)"]] as const).map(([name, label]) => (
            <div key={name}>
              <Label htmlFor={`career-${name}`}>{label}</Label>
              <TextInput id={`career-${name}`} name={name} type="text" defaultValue={career.data![name] ?? ""} />
              <Problem error={setPath.error} field={name} />
            </div>
          ))}
          <Problem error={setPath.error} except={["pathway", "occupation_1", "occupation_2", "wage_goal"]} />
          <Button type="submit" disabled={setPath.isPending}>Save career path</Button>
        </Form>
      )}
    </>
  );
}

// --- Set Goals ----------------------------------------------------------------------------------------

function Goals({ customerId, goals }: { customerId: string; goals: Goal[] }) {
  const me = useAuth().session!.me;
  const path = { customer_id: customerId };
  const add = usePlanChange(customerId, async (body: Schemas["GoalIn"]) => data(await api.POST("/api/plans/{customer_id}/goals", { params: { path }, body })));
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    add.mutate({
      statement: text(form, "statement"), category: form.get("category") as Schemas["GoalCategory"],
      term: form.get("term") as Schemas["GoalTerm"], status: form.get("status") as Schemas["GoalStatus"],
    }, { onSuccess: () => (event.target as HTMLFormElement).reset() });
  }
  return (
    <>
      <Table bordered compact fullWidth caption="Goals">
        <thead><tr><th scope="col">Goal</th><th scope="col">Category</th><th scope="col">Term</th><th scope="col">Earliest start</th><th scope="col">Latest planned due</th><th scope="col">Status</th></tr></thead>
        <tbody>
          {goals.map((goal) => (
            <tr key={goal.id}>
              <td>{goal.statement}</td><td>{goal.category}</td><td>{goal.term}</td><td>{goal.earliest_start ?? "—"}</td><td>{goal.latest_planned_due ?? "—"}</td>
              <td>{can.editPlan(me) ? <GoalStatus customerId={customerId} goal={goal} /> : goal.status}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      {can.editPlan(me) && (
        <Form onSubmit={submit} large>
          <h4>Add a goal</h4>
          <p>Adding a goal asks the customer to agree to the plan again.</p>
          <Label htmlFor="statement">Goal statement (at most 144 characters)</Label>
          <TextInput id="statement" name="statement" type="text" maxLength={144} required />
          <Problem error={add.error} field="statement" />
          <Label htmlFor="category">Category</Label>
          <Select id="category" name="category">{GOAL_CATEGORIES.map((c) => <option key={c}>{c}</option>)}</Select>
          <Label htmlFor="term">Term</Label>
          <Select id="term" name="term">{GOAL_TERMS.map((t) => <option key={t}>{t}</option>)}</Select>
          <Label htmlFor="goal-status">Status</Label>
          <Select id="goal-status" name="status">{GOAL_STATUSES.map((s) => <option key={s}>{s}</option>)}</Select>
          <Problem error={add.error} except={["statement"]} />
          <Button type="submit" disabled={add.isPending}>Add goal</Button>
        </Form>
      )}
    </>
  );
}

function GoalStatus({ customerId, goal }: { customerId: string; goal: Goal }) {
  const change = usePlanChange(customerId, async (status: Schemas["GoalStatus"]) =>
    data(await api.PATCH("/api/plans/{customer_id}/goals/{goal_id}", { params: { path: { customer_id: customerId, goal_id: goal.id } }, body: { status } })),
  );
  const id = `goal-${goal.id}-status`;
  return (
    <Form onSubmit={(event) => { event.preventDefault(); change.mutate(new FormData(event.currentTarget).get("status") as Schemas["GoalStatus"]); }} className="isets-inline-form">
      <Label htmlFor={id} className="usa-sr-only">Status of {goal.statement}</Label>
      <Select id={id} name="status" defaultValue={goal.status}>{GOAL_STATUSES.map((s) => <option key={s}>{s}</option>)}</Select>
      <Problem error={change.error} />
      <Button type="submit" unstyled disabled={change.isPending}>Save status of {goal.statement}</Button>
    </Form>
  );
}

// --- Add Activities/Services --------------------------------------------------------------------------

function Activities({ customerId, plan }: { customerId: string; plan: Schemas["PlanOverview"] }) {
  const me = useAuth().session!.me;
  const path = { customer_id: customerId };
  const options = usePlanQuery(customerId, "activity-options", async () => data(await api.GET("/api/plans/{customer_id}/activity-options", { params: { path } })));
  const [chosen, setChosen] = useState<ActivityOption | null>(null);
  const activities = [...plan.goals.flatMap((goal) => goal.activities), ...plan.activities_without_goal];
  return (
    <>
      {can.editPlan(me) && (
        <>
          <h4>Step 1: choose an activity or service</h4>
          {options.error && <Problem error={options.error} />}
          {options.data && (
            <Form onSubmit={(event) => {
              event.preventDefault();
              const code = new FormData(event.currentTarget).get("activity_code");
              setChosen(options.data.find((o) => `${o.code}@${o.location}` === code) ?? null);
            }}>
              <Label htmlFor="activity-option">Activity or service (what this customer's location offers)</Label>
              <Select id="activity-option" name="activity_code" required>
                {optionsByKind(options.data).map(([kind, group]) => (
                  <optgroup key={kind} label={kind}>
                    {group.map((option) => (
                      <option key={`${option.code}@${option.location}`} value={`${option.code}@${option.location}`} disabled={!option.addable}>
                        {option.code} {option.name} ({option.location}){option.why_not ? ` — ${option.why_not}` : ""}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </Select>
              <Button type="submit">Choose activity</Button>
            </Form>
          )}
          {chosen && <AssignActivity customerId={customerId} option={chosen} goals={plan.goals} done={() => setChosen(null)} />}
        </>
      )}
      <h4>{can.editPlan(me) ? "Step 3: manage activities and services" : "Activities and services"}</h4>
      {activities.length === 0 && <p>No activities yet.</p>}
      {activities.map((activity) => (
        <ManageActivity key={activity.id} customerId={customerId} activity={activity} goals={plan.goals} editable={can.editPlan(me)} />
      ))}
    </>
  );
}

const ACTIVITY_FIELDS = ["goal_id", "planned_start", "planned_completion", "weekly_hours", "service_provider", "provider_name", "provider_address", "status", "activity_code", "location", "actual_completion", "effective_date"];

function AssignActivity({ customerId, option, goals, done }: { customerId: string; option: ActivityOption; goals: Goal[]; done: () => void }) {
  const [provider, setProvider] = useState<Schemas["ServiceProvider"]>("Grantee");
  const add = usePlanChange(customerId, async (body: Schemas["ActivityIn"]) =>
    data(await api.POST("/api/plans/{customer_id}/activities", { params: { path: { customer_id: customerId } }, body })), done);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    add.mutate({
      activity_code: option.code, location: option.location, status: "Planned/Not Started", notes: "", barriers_addressed: [], goal_id: optional(form, "goal_id"),
      planned_start: optional(form, "planned_start"), planned_completion: optional(form, "planned_completion"),
      weekly_hours: text(form, "weekly_hours") || "0", service_provider: provider,
      provider_name: optional(form, "provider_name"), provider_address: optional(form, "provider_address"),
    });
  }
  return (
    <Form onSubmit={submit} large>
      <h4>Step 2: assign {option.code} {option.name} to a goal</h4>
      <Label htmlFor="activity-goal">Goal</Label>
      <Select id="activity-goal" name="goal_id" defaultValue={goals[0]?.id ?? ""}>
        <option value="">No goal yet (required before it starts)</option>
        {goals.map((goal) => <option key={goal.id} value={goal.id}>{goal.statement}</option>)}
      </Select>
      <Problem error={add.error} field="goal_id" />
      <Label htmlFor="planned_start">Planned start</Label>
      <input className="usa-input" id="planned_start" name="planned_start" type="date" defaultValue={today()} />
      <Problem error={add.error} field="planned_start" />
      <Label htmlFor="planned_completion">Planned due</Label>
      <input className="usa-input" id="planned_completion" name="planned_completion" type="date" />
      <Problem error={add.error} field="planned_completion" />
      <Label htmlFor="weekly_hours">Hours per week</Label>
      <TextInput id="weekly_hours" name="weekly_hours" type="text" inputMode="decimal" defaultValue="0" />
      <Problem error={add.error} field="weekly_hours" />
      <Label htmlFor="service_provider">Service provider</Label>
      <Select id="service_provider" name="service_provider" value={provider} onChange={(e) => setProvider(e.target.value as Schemas["ServiceProvider"])}>
        {PROVIDERS.map((p) => <option key={p}>{p}</option>)}
      </Select>
      {provider === "Other provider" && (
        <>
          <Label htmlFor="provider_name">Provider name</Label>
          <TextInput id="provider_name" name="provider_name" type="text" maxLength={200} />
          <Problem error={add.error} field="provider_name" />
          <Label htmlFor="provider_address">Provider address</Label>
          <TextInput id="provider_address" name="provider_address" type="text" maxLength={400} />
          <Problem error={add.error} field="provider_address" />
        </>
      )}
      <Problem error={add.error} except={ACTIVITY_FIELDS.slice(0, 7)} />
      <Button type="submit" disabled={add.isPending}>Add activity</Button>
      <Button type="button" unstyled onClick={done}>Cancel</Button>
    </Form>
  );
}

function ManageActivity({ customerId, activity, goals, editable }: { customerId: string; activity: Activity; goals: Goal[]; editable: boolean }) {
  const path = { customer_id: customerId, activity_id: activity.id };
  const [status, setStatus] = useState(activity.status);
  const change = usePlanChange(customerId, async (body: Schemas["ActivityChange"]) =>
    data(await api.PATCH("/api/plans/{customer_id}/activities/{activity_id}", { params: { path }, body })),
  );
  const remove = usePlanChange(customerId, async () => data(await api.DELETE("/api/plans/{customer_id}/activities/{activity_id}", { params: { path } })));
  const label = `${activity.code} ${activity.name}`;
  const id = `activity-${activity.id}`;
  const goal = goals.find((g) => g.id === activity.goal_id);
  return (
    <section aria-label={label} className="isets-activity">
      <h5 className="margin-bottom-05">
        {label} — <span data-testid={`${activity.code}-status`}>{activity.status}</span>
      </h5>
      <p className="margin-top-0">
        {activity.kind} at {activity.location}; goal: {goal?.statement ?? "none"}; provider: {activity.service_provider}
        {activity.provider_name && ` (${activity.provider_name}, ${activity.provider_address})`}
      </p>
      <details>
        <summary>Status history of {label}</summary>
        <ul>{activity.status_history.map((h, i) => <li key={i}>{h.status} on {h.effective_date} by {h.changed_by}</li>)}</ul>
      </details>
      {editable && (
        <Form className="maxw-full" onSubmit={(event) => { event.preventDefault(); change.mutate(activityChange(activity, new FormData(event.currentTarget))); }}>
          <div className="isets-fields">
            <div>
              <Label htmlFor={`${id}-status`}>Status of {activity.code}</Label>
              <Select id={`${id}-status`} name="status" value={status} onChange={(e) => setStatus(e.target.value as Activity["status"])}>
                {ACTIVITY_STATUSES.map((s) => <option key={s}>{s}</option>)}
              </Select>
              <Problem error={change.error} field="status" />
            </div>
            <div>
              <Label htmlFor={`${id}-effective`}>Status effective</Label>
              <input className="usa-input" id={`${id}-effective`} name="effective_date" type="date" defaultValue={today()} />
              <Problem error={change.error} field="effective_date" />
            </div>
            <div>
              <Label htmlFor={`${id}-start`}>Planned start of {activity.code}</Label>
              <input className="usa-input" id={`${id}-start`} name="planned_start" type="date" defaultValue={activity.planned_start ?? ""} />
              <Problem error={change.error} field="planned_start" />
            </div>
            <div>
              <Label htmlFor={`${id}-due`}>Planned due of {activity.code}</Label>
              <input className="usa-input" id={`${id}-due`} name="planned_completion" type="date" defaultValue={activity.planned_completion ?? ""} />
              <Problem error={change.error} field="planned_completion" />
            </div>
            <div>
              <Label htmlFor={`${id}-completed`}>Actual completion of {activity.code}{needsCompletionDate(status) && " (required)"}</Label>
              <input className="usa-input" id={`${id}-completed`} name="actual_completion" type="date" defaultValue={activity.actual_completion ?? ""} required={needsCompletionDate(status)} />
              <Problem error={change.error} field="actual_completion" />
            </div>
            <div>
              <Label htmlFor={`${id}-hours`}>Hours per week of {activity.code}</Label>
              <TextInput id={`${id}-hours`} name="weekly_hours" type="text" inputMode="decimal" defaultValue={String(activity.weekly_hours)} />
              <Problem error={change.error} field="weekly_hours" />
            </div>
          </div>
          <Problem error={change.error} except={["status", "effective_date", "planned_start", "planned_completion", "actual_completion", "weekly_hours"]} />
          <Button type="submit" disabled={change.isPending}>Save {activity.code}</Button>
          {neverStarted(activity) && (
            <Button type="button" secondary onClick={() => remove.mutate(undefined)} disabled={remove.isPending}>Delete {activity.code}</Button>
          )}
          <Problem error={remove.error} />
        </Form>
      )}
    </section>
  );
}

// --- Update Log ---------------------------------------------------------------------------------------

function UpdateLog({ customerId }: { customerId: string }) {
  const log = usePlanQuery(customerId, "update-log", async () =>
    data(await api.GET("/api/plans/{customer_id}/update-log", { params: { path: { customer_id: customerId } } })),
  );
  if (log.error) return <Problem error={log.error} />;
  return (
    <Table bordered compact fullWidth caption="Every change to the plan: who, when, what">
      <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th></tr></thead>
      <tbody>
        {log.data?.length === 0 && <tr><td colSpan={3}>No changes yet.</td></tr>}
        {log.data?.map((entry, index) => (
          <tr key={index}><td>{new Date(entry.at).toLocaleString()}</td><td>{entry.by}</td><td>{entry.what}</td></tr>
        ))}
      </tbody>
    </Table>
  );
}

// --- Case Notes ---------------------------------------------------------------------------------------

const NOTE_FIELDS = ["contact_date", "task", "subject", "message", "category", "send_as", "to_customer", "team_recipients", "version"];

type Contact = { name: string; email: string };

function noteFrom(form: FormData, team: Contact[]): Schemas["CaseNoteIn"] {
  const chosen = new Set(form.getAll("team_recipients").map(String));
  return {
    team_recipients: team.filter((contact) => chosen.has(contact.email)),
    contact_date: text(form, "contact_date"), task: optional(form, "task"), subject: text(form, "subject"), message: text(form, "message"),
    category: form.get("category") as Schemas["NoteCategory"], send_as: form.get("send_as") as Schemas["SendAs"], to_customer: form.get("to_customer") === "on",
  };
}

/** The customer's Integrated Resource Team (intake's profile, read by the customer page): who a note may be sent to. */
function useTeam(customerId: string): Contact[] {
  const overview = useOverview(customerId);
  const profile = overview.data?.profile;
  return profile && profile.access === "full" ? profile.resource_team : [];
}

function CaseNotes({ customerId }: { customerId: string }) {
  const me = useAuth().session!.me;
  const team = useTeam(customerId);
  const path = { customer_id: customerId };
  const [category, setCategory] = useState<Schemas["NoteCategory"] | "">("");
  const notes = usePlanQuery(customerId, `case-notes-${category}`, async () =>
    data(await api.GET("/api/plans/{customer_id}/case-notes", { params: { path, query: { category: category || undefined } } })),
  );
  const add = usePlanChange(customerId, async (body: Schemas["CaseNoteIn"]) => data(await api.POST("/api/plans/{customer_id}/case-notes", { params: { path }, body })));
  return (
    <>
      <Label htmlFor="note-filter">Show category</Label>
      <Select id="note-filter" name="note-filter" value={category} onChange={(e) => setCategory(e.target.value as Schemas["NoteCategory"] | "")}>
        <option value="">All categories</option>
        {NOTE_CATEGORIES.map((c) => <option key={c}>{c}</option>)}
      </Select>
      {notes.error && <Problem error={notes.error} />}
      {notes.data?.length === 0 && <p>No case notes{category && ` in ${category}`}.</p>}
      {notes.data?.map((note) => <Note key={`${note.id}-${note.version}`} customerId={customerId} note={note} editable={can.editPlan(me)} />)}
      {can.editPlan(me) && (
        <Form large onSubmit={(event) => {
          event.preventDefault();
          const target = event.currentTarget;
          add.mutate(noteFrom(new FormData(target), team), { onSuccess: () => target.reset() });
        }}>
          <h4>Add a case note</h4>
          <NoteFields prefix="new-note" error={add.error} team={team} />
          <Button type="submit" disabled={add.isPending}>Add case note</Button>
        </Form>
      )}
    </>
  );
}

function NoteFields({ prefix, error, note, team }: { prefix: string; error: unknown; note?: CaseNote; team: Contact[] }) {
  const sentTo = new Set(note?.team_recipients.map((r) => r.email));
  const field = (name: string, label: string, input: ReactNode) => (
    <>
      <Label htmlFor={`${prefix}-${name}`}>{label}</Label>
      {input}
      <Problem error={error} field={name} />
    </>
  );
  return (
    <>
      {field("contact_date", "Contact date", <input className="usa-input" id={`${prefix}-contact_date`} name="contact_date" type="date" defaultValue={note?.contact_date ?? today()} required />)}
      {field("category", "Category", <Select id={`${prefix}-category`} name="category" defaultValue={note?.category ?? "General"}>{NOTE_CATEGORIES.map((c) => <option key={c}>{c}</option>)}</Select>)}
      {field("task", "Task (optional)", <TextInput id={`${prefix}-task`} name="task" type="text" maxLength={200} defaultValue={note?.task ?? ""} />)}
      {field("subject", "Subject", <TextInput id={`${prefix}-subject`} name="subject" type="text" maxLength={200} defaultValue={note?.subject ?? ""} required />)}
      {field("message", "Message", <Textarea id={`${prefix}-message`} name="message" maxLength={4000} defaultValue={note?.message ?? ""} required />)}
      {field("send_as", "Send as", <Select id={`${prefix}-send_as`} name="send_as" defaultValue={note?.send_as ?? "Save as case note only"}>{SEND_AS.map((s) => <option key={s}>{s}</option>)}</Select>)}
      {team.length > 0 && (
        <fieldset className="usa-fieldset">
          <legend className="usa-legend">Send to Integrated Resource Team members</legend>
          {team.map((contact, index) => (
            <div className="usa-checkbox" key={contact.email}>
              <input className="usa-checkbox__input" id={`${prefix}-team-${index}`} name="team_recipients" type="checkbox" value={contact.email} defaultChecked={sentTo.has(contact.email)} />
              <label className="usa-checkbox__label" htmlFor={`${prefix}-team-${index}`}>{contact.name} ({contact.email})</label>
            </div>
          ))}
        </fieldset>
      )}
      <Problem error={error} field="team_recipients" />
      <div className="usa-checkbox">
        <input className="usa-checkbox__input" id={`${prefix}-to_customer`} name="to_customer" type="checkbox" defaultChecked={note?.to_customer ?? false} />
        <label className="usa-checkbox__label" htmlFor={`${prefix}-to_customer`}>Send to the customer (who may then read it)</label>
      </div>
      <Problem error={error} field="to_customer" />
      <Problem error={error} except={NOTE_FIELDS} />
    </>
  );
}

function Note({ customerId, note, editable }: { customerId: string; note: CaseNote; editable: boolean }) {
  const team = useTeam(customerId);
  const [editing, setEditing] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const path = { customer_id: customerId, note_id: note.id };
  const edit = usePlanChange(customerId, async (body: Schemas["CaseNoteEdit"]) =>
    data(await api.PUT("/api/plans/{customer_id}/case-notes/{note_id}", { params: { path }, body })), () => setEditing(false));
  const history = useQuery({
    queryKey: ["plan", customerId, "note-history", note.id, note.version],
    enabled: showHistory,
    queryFn: async () => data(await api.GET("/api/plans/{customer_id}/case-notes/{note_id}/history", { params: { path } })),
  });
  return (
    <article className="isets-note" aria-label={`Case note ${note.subject}`}>
      <h4 className="margin-bottom-05">{note.subject}</h4>
      <p className="margin-y-05">
        {note.category} · contact {note.contact_date} · by {note.author} at {new Date(note.created_at).toLocaleString()} · {note.send_as}
        {note.edited && ` · edited by ${note.updated_by} (version ${note.version})`}
      </p>
      {note.task && <p className="margin-y-05">Task: {note.task}</p>}
      <p className="isets-message">{note.message}</p>
      {editable && !editing && <Button type="button" unstyled onClick={() => setEditing(true)}>Edit note {note.subject}</Button>}{" "}
      {note.edited && (
        <Button type="button" unstyled aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>History of {note.subject}</Button>
      )}
      {showHistory && history.data && (
        <ol>
          {history.data.map((version) => (
            <li key={version.number}>Version {version.number} by {version.written_by} at {new Date(version.written_at).toLocaleString()}: {version.subject} — {version.message}</li>
          ))}
        </ol>
      )}
      {editing && (
        <Form large onSubmit={(event) => { event.preventDefault(); edit.mutate({ ...noteFrom(new FormData(event.currentTarget), team), version: note.version }); }}>
          <NoteFields prefix={`note-${note.id}`} error={edit.error} note={note} team={team} />
          <Button type="submit" disabled={edit.isPending}>Save note</Button>
          <Button type="button" unstyled onClick={() => setEditing(false)}>Cancel</Button>
        </Form>
      )}
    </article>
  );
}
