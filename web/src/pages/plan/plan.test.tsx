import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter } from "react-router-dom";
import { apiError, problemText, type Activity, type Me } from "../../api/client";
import { AuthProvider } from "../../auth";
import { can } from "../../roles";
import { fiscalYear, terms } from "../ProviderInfo";
import { Referrals } from "../Referrals";
import { EmploymentPlan, type PlanSection } from "./EmploymentPlan";
import { activityChange, neverStarted, optionsByKind } from "./logic";

const STAFF: Me = { user_id: "provider.b", role: "provider_partner", name: "Provider Partner B", locations: ["LOC-B"], customer_id: null };
const person = (role: Me["role"], locations: string[] = []): Me => ({ ...STAFF, role, locations });

const ACTIVITY: Activity = {
  id: "a-1", code: "JST", name: "Job Search Training", kind: "SNAP E&T activity", location: "LOC-B", status: "Planned/Not Started",
  goal_id: "g-1", planned_start: "2026-11-02", planned_completion: null, actual_completion: null, weekly_hours: "10",
  wioa_funded: false, worksite_based: false, notes: "", barriers_addressed: [], service_provider: "Grantee", provider_name: null,
  provider_address: null, updated_by: "provider.b", updated_at: "2026-11-02T10:00:00Z",
  status_history: [{ status: "Planned/Not Started", effective_date: "2026-11-02", changed_by: "provider.b", changed_at: "2026-11-02T10:00:00Z" }],
};

const PLAN = {
  id: "c-1", individual_number: "1", first_name: "Ada", last_name: "Web", locations: ["LOC-B"], agreement: "Pending",
  goals: [{ id: "g-1", statement: "Complete the program", category: "Career Plan", term: "Long Term", status: "Not Started", enrolment_location: "LOC-B",
    updated_by: "casemgmt", updated_at: "2026-11-02T10:00:00Z", earliest_start: "2026-11-02", latest_planned_due: null, activities: [ACTIVITY] }],
  activities_without_goal: [], accomplishments: { completed_goals: 0, completed_activities: 0 },
};

type Answer = [number, unknown];
let answers: Record<string, Answer | ((body: unknown) => Answer)>;
let sent: { method: string; path: string; body: unknown }[];

beforeEach(() => {
  sent = [];
  sessionStorage.setItem("isets.session", JSON.stringify({ token: "t", expiresAt: Date.now() + 60_000, me: STAFF }));
  vi.stubGlobal("fetch", vi.fn(async (input: Request) => {
    const url = new URL(input.url);
    const body = input.method === "GET" ? undefined : await input.json().catch(() => undefined);
    const key = `${input.method} ${url.pathname}${url.search}`;
    sent.push({ method: input.method, path: url.pathname + url.search, body });
    const found = answers[key] ?? answers[`${input.method} ${url.pathname}`];
    if (!found) throw new Error(`no answer for ${key}`);
    const [status, answer] = typeof found === "function" ? found(body) : found;
    return new Response(status === 204 ? null : JSON.stringify(answer), { status, headers: { "Content-Type": "application/json" } });
  }));
});

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

function show(section: PlanSection) {
  return render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter>
        <AuthProvider>
          <EmploymentPlan customerId="c-1" section={section} />
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

test("only an activity that never started may be deleted", () => {
  expect(neverStarted(ACTIVITY)).toBe(true);
  const history = [...ACTIVITY.status_history, { ...ACTIVITY.status_history[0], status: "Started/Open" as const }];
  expect(neverStarted({ ...ACTIVITY, status: "Planned/Not Started", status_history: history })).toBe(false);
  expect(neverStarted({ ...ACTIVITY, status: "Started/Open" })).toBe(false);
});

test("the manage form sends only what changed; a status change carries its date", () => {
  const form = new FormData();
  form.set("status", "Successful Completion");
  form.set("effective_date", "2026-11-20");
  form.set("planned_start", "2026-11-02");
  form.set("planned_completion", "");
  form.set("actual_completion", "2026-11-20");
  form.set("weekly_hours", "10.00");
  expect(activityChange(ACTIVITY, form)).toEqual({ status: "Successful Completion", effective_date: "2026-11-20", actual_completion: "2026-11-20" });
  form.set("status", "Planned/Not Started");
  form.set("planned_start", "");
  expect(activityChange(ACTIVITY, form)).toEqual({ planned_start: null, actual_completion: "2026-11-20" });
});

test("activity options are grouped by kind in the order given", () => {
  const option = (code: string, kind: string) => ({ code, kind, name: code, location: "LOC-B", addable: true, why_not: null }) as never;
  const groups = optionsByKind([option("JST", "SNAP E&T activity"), option("SS-BOOKS", "Support service"), option("CW", "SNAP E&T activity")]);
  expect(groups.map(([kind, options]) => [kind, options.map((o) => o.code)])).toEqual([["SNAP E&T activity", ["JST", "CW"]], ["Support service", ["SS-BOOKS"]]]);
});

test("a refusal is shown next to the field it names, the rest under the form", () => {
  const error = apiError(422, { detail: [{ field: "planned_completion", rule: "is before the planned start" }, { field: null, rule: "try again" }] });
  expect(problemText(error, "planned_completion")).toBe("is before the planned start");
  expect(problemText(error, "goal_id")).toBeNull();
  expect(problemText(error, undefined, ["planned_completion"])).toBe("try again");
});

test("role rules: staff edit plans, only the customer agrees, program managers edit only their own contracts", () => {
  expect(can.editPlan(STAFF)).toBe(true);
  expect(can.editPlan(person("idhs_admin"))).toBe(false);
  expect(can.editPlan(person("customer"))).toBe(false);
  expect(can.agreeToPlan(person("customer"))).toBe(true);
  expect(can.agreeToPlan(STAFF)).toBe(false);
  expect(can.maintainProviders(person("statewide"))).toBe(true);
  expect(can.maintainProviders(person("program_manager", ["LOC-A"]))).toBe(false);
  expect(can.editContract(person("program_manager", ["LOC-A"]), "LOC-A")).toBe(true);
  expect(can.editContract(person("program_manager", ["LOC-A"]), "LOC-B")).toBe(false);
  expect(can.editContract(STAFF, "LOC-B")).toBe(false);
  expect(can.contractFields(person("program_manager", ["LOC-A"]))).not.toContain("contract_number");
});

test("adding an activity: step 1 offers what the location offers, step 2 assigns it to a goal, a refusal sits by its field", async () => {
  answers = {
    "GET /api/plans/c-1": [200, PLAN],
    "GET /api/plans/c-1/activity-options": [200, [
      { code: "JST", name: "Job Search Training", kind: "SNAP E&T activity", location: "LOC-B", addable: true, why_not: null },
      { code: "VT", name: "Vocational Training", kind: "SNAP E&T activity", location: "LOC-B", addable: false, why_not: "not offered by LOC-B's contracts" },
    ]],
    "POST /api/plans/c-1/activities": [422, { detail: [{ field: "planned_completion", rule: "is before the planned start" }] }],
  };
  show("activities");
  const choice = await screen.findByLabelText(/Activity or service/);
  expect(within(choice).getByRole("option", { name: /VT Vocational Training .* not offered by LOC-B's contracts/ })).toBeDisabled();
  await userEvent.selectOptions(choice, "JST@LOC-B");
  await userEvent.click(screen.getByRole("button", { name: "Choose activity" }));
  expect(screen.getByLabelText("Goal")).toHaveValue("g-1");
  await userEvent.type(screen.getByLabelText("Planned due"), "2026-10-01");
  await userEvent.click(screen.getByRole("button", { name: "Add activity" }));
  const problem = await screen.findByText("is before the planned start");
  expect(problem).toHaveAttribute("data-field", "planned_completion");
  expect(sent.at(-1)!.body).toMatchObject({ activity_code: "JST", location: "LOC-B", goal_id: "g-1", planned_completion: "2026-10-01" });
  // step 3: a planned activity that never started may be deleted
  expect(screen.getByRole("button", { name: "Delete JST" })).toBeInTheDocument();
});

test("case notes filter by category; an edit sends the version read and the team members chosen", async () => {
  const note = {
    id: "n-1", contact_date: "2026-11-02", task: null, subject: "Called", message: "Left a message", category: "Follow-up",
    send_as: "Save as case note only", team_recipients: [], to_customer: false, employment_id: null, retention_period: null,
    author: "provider.b", created_at: "2026-11-02T10:00:00Z", version: 1, edited: false, updated_by: null, updated_at: null,
  };
  answers = {
    "GET /api/plans/c-1": [200, PLAN],
    "GET /api/plans/c-1/case-notes": [200, [note]],
    "GET /api/plans/c-1/case-notes?category=Follow-up": [200, [note]],
    "GET /api/customers/c-1/overview": [200, { profile: { access: "full", resource_team: [{ name: "Grace Hopper", email: "grace@example.org" }] }, referrals: [] }],
    "PUT /api/plans/c-1/case-notes/n-1": (body) => [200, { ...note, ...(body as object), version: 2, edited: true }],
  };
  show("case-notes");
  await userEvent.selectOptions(await screen.findByLabelText("Show category"), "Follow-up");
  await screen.findByRole("heading", { name: "Called" });
  expect(sent.some((s) => s.path === "/api/plans/c-1/case-notes?category=Follow-up")).toBe(true);
  await userEvent.click(screen.getByRole("button", { name: "Edit note Called" }));
  const subject = screen.getAllByLabelText("Subject")[0];
  await userEvent.clear(subject);
  await userEvent.type(subject, "Called again");
  await userEvent.click(screen.getAllByLabelText("Grace Hopper (grace@example.org)")[0]);
  await userEvent.click(screen.getByRole("button", { name: "Save note" }));
  await vi.waitFor(() => expect(sent.find((s) => s.method === "PUT")?.body).toMatchObject({
    subject: "Called again", version: 1, team_recipients: [{ name: "Grace Hopper", email: "grace@example.org" }],
  }));
});

test("the referral form offers the open locations casemgmt knows", async () => {
  answers = {
    "GET /api/locations?open=true": [200, [
      { id: "LOC-C", provider_id: "p-1", provider_name: "Lincoln Works", name: "Springfield office", county: "Sangamon", address: "", open: true, version: 1 },
    ]],
  };
  const profile = { access: "full" } as never;
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter>
        <AuthProvider>
          <Referrals customerId="c-1" profile={profile} referrals={[]} />
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  expect(await screen.findByRole("option", { name: "LOC-C — Springfield office (Lincoln Works, Sangamon)" })).toBeInTheDocument();
  expect(screen.queryByRole("option", { name: "LOC-A" })).toBeNull();
});

test("a contract's fiscal year is named by the year it ends; terms are comma-separated", () => {
  expect(fiscalYear(new Date(2025, 5, 30))).toBe(2025);
  expect(fiscalYear(new Date(2025, 6, 1))).toBe(2026);
  expect(terms(" welding, ,forklift ")).toEqual(["welding", "forklift"]);
});
