import { useState, type FormEvent, type ReactNode } from "react";
import { Link, useParams } from "react-router-dom";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Accordion, Alert, Button, Form, Label, Select, Table, TextInput } from "@trussworks/react-uswds";
import { api, ApiError, data, type Profile, type Referral, type ReferredCustomer } from "../api/client";
import { useOverview } from "../api/overview";
import { useAuth } from "../auth";
import { Problem } from "../components/Layout";
import { Referrals } from "./Referrals";
import { can } from "../roles";
import { EmploymentPlan, PLAN_SECTIONS, type PlanSection } from "./plan/EmploymentPlan";


export function CustomerPage() {
  const { customerId, section } = useParams() as { customerId: string; section?: string };
  const overview = useOverview(customerId);
  if (overview.error instanceof ApiError && [403, 404].includes(overview.error.status))
    return (
      <Alert type="error" headingLevel="h1" heading="Customer not found" className="margin-top-4">
        There is no customer at this address that you may see.
      </Alert>
    );
  if (overview.error) return <Problem error={overview.error} />;
  if (!overview.data) return <p>Loading…</p>;
  const profile = overview.data.profile;
  const planSection = PLAN_SECTIONS.find(([key]) => key === section)?.[0] as PlanSection | undefined;
  return (
    <div className="isets-customer margin-top-4">
      <LeftMenu profile={profile} />
      <div>
        {profile.access === "full" && (
          <nav aria-label="Customer tabs" className="isets-tabs">
            <Link to={`/customers/${customerId}`} className={section ? "" : "active"} aria-current={section ? undefined : "page"}>
              Customer overview
            </Link>
            <Link to={`/customers/${customerId}/plan/overview`} className={section ? "active" : ""} aria-current={section ? "page" : undefined}>
              EP/Case Management
            </Link>
          </nav>
        )}
        {profile.access === "full" && section ? (
          planSection ? <EmploymentPlan customerId={customerId} section={planSection} /> : <h2>Page not found</h2>
        ) : (
          <CustomerOverview customerId={customerId} profile={profile} referrals={overview.data.referrals} />
        )}
      </div>
    </div>
  );
}

function CustomerOverview({ customerId, profile, referrals }: { customerId: string; profile: Profile | ReferredCustomer; referrals: Referral[] }) {
  return (
    <section aria-labelledby="overview-heading">
      <h2 id="overview-heading">Overview</h2>
      {profile.access === "full" && profile.warnings.map((warning) => (
        <Alert key={warning} type="warning" headingLevel="h3" slim>
          {warning}
        </Alert>
      ))}
      <Accordion
        key={profile.access} // its sections open as given when they first appear (a referral just accepted)
        bordered
        multiselectable
        items={[
          { id: "referrals", title: "Referrals", headingLevel: "h3", expanded: true, content: <Referrals customerId={customerId} profile={profile} referrals={referrals} /> },
          ...(profile.access === "full"
            ? [
                { id: "status", title: "Status", headingLevel: "h3" as const, expanded: true, content: <Status profile={profile} /> },
                { id: "team", title: "Integrated Resource Team", headingLevel: "h3" as const, expanded: true, content: <ResourceTeam profile={profile} /> },
                { id: "earnfare", title: "Earnfare", headingLevel: "h3" as const, expanded: false, content: <Earnfare profile={profile} /> },
              ]
            : []),
        ]}
      />
    </section>
  );
}

function Fact({ label, value, ies = false }: { label: string; value: ReactNode; ies?: boolean }) {
  return (
    <>
      <dt>
        {label} {ies && <span className="isets-ies">(from IES, not editable)</span>}
      </dt>
      <dd>{value === null || value === undefined || value === "" ? "—" : value}</dd>
    </>
  );
}

/** The customer's facts beside every tab; at phone width a compact header (name, key ids) with a
 * "Details" toggle instead of the whole menu above the Overview. */
function LeftMenu({ profile }: { profile: Profile | ReferredCustomer }) {
  const me = useAuth().session!.me;
  const [detailsOpen, setDetailsOpen] = useState(false);
  return (
    <aside className="isets-left-menu" aria-label="Customer">
      <h1 className="font-heading-lg margin-top-0">
        {profile.first_name} {profile.last_name}
      </h1>
      <p className="isets-key-ids margin-y-05" data-testid="key-ids">
        Individual number {profile.individual_number} · SNAP case {profile.snap_case_number} · {profile.et_status ?? "no E&T status"}
      </p>
      <Button
        type="button"
        outline
        className="isets-details-toggle"
        aria-expanded={detailsOpen}
        aria-controls="customer-details"
        onClick={() => setDetailsOpen(!detailsOpen)}
      >
        Details
      </Button>
      {can.importIes(me) && (
        // ISETS holds only its copy of the IES record: the current one comes from IES, typed into the sync form.
        <Link className="usa-button usa-button--outline margin-y-1" to={`/imports?sync=${encodeURIComponent(profile.individual_number)}`}>
          Sync with IES
        </Link>
      )}
      <nav aria-label="Attendance, placements and hours" className="margin-y-1">
        <Link className="display-block" to={`/customers/${profile.id}/attendance`}>Attendance</Link>
        {can.editCustomer(me) && <Link className="display-block" to={`/customers/${profile.id}/placements`}>Worksite placements</Link>}
        <Link className="display-block" to={`/customers/${profile.id}/earnfare`}>Earnfare month sheet</Link>
        <Link className="display-block" to={`/customers/${profile.id}/abawd`}>ABAWD hours</Link>
      </nav>
      <div id="customer-details" className={detailsOpen ? "isets-menu-details isets-open" : "isets-menu-details"}>
        {profile.access === "pending referral" && <p>You see this customer to answer their referral.</p>}
        <dl>
          <Fact label="Individual number" value={profile.individual_number} ies />
          <Fact label="Date of birth" value={profile.date_of_birth} ies />
          <Fact label="SNAP case number" value={profile.snap_case_number} />
          <Fact label="DHS office" value={profile.dhs_office} ies />
          <Fact label="County" value={profile.county} ies />
          <Fact label="SNAP eligibility" value={profile.snap_eligibility} ies />
          <Fact label="E&T status" value={profile.et_status} />
          {profile.access === "full" && (
            <>
              <Fact label="E-mail" value={profile.email} ies />
              <Fact label="Phone" value={profile.phone} ies />
              <Fact label="Address" value={[profile.address_line1, profile.address_line2, `${profile.city}, ${profile.state} ${profile.zip}`].filter(Boolean).join(", ")} ies />
              <Fact label="SSN last 4" value={profile.ssn_last4} ies />
              <Fact label="workNet username" value={profile.worknet_username} />
              <Fact label="Redetermination date" value={profile.redetermination_date} ies />
              <Fact label="Mid-point date" value={profile.midpoint_date} ies />
              <Fact label="Enrollment date" value={profile.enrollment_date} />
              <Fact label="Program" value={profile.program_enrollment.join(", ")} />
              <Fact label="E&T providers" value={profile.et_providers.join(", ")} />
              <Fact label="Pending referrals" value={profile.providers_with_pending_referral.join(", ")} />
              <Fact label="Initial assessment date" value={profile.initial_assessment_date} />
              <Fact label="Most recent credential" value={profile.most_recent_credential} />
              <Fact label="Most recent work experience" value={profile.most_recent_work_experience} />
              <Fact label="Most recent permanent placement" value={profile.most_recent_permanent_placement} />
            </>
          )}
        </dl>
      </div>
    </aside>
  );
}

/** A change to the customer's record; the overview is read again after it. */
function useCustomerChange<T>(customerId: string, change: (input: T) => Promise<unknown>) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: () => queries.invalidateQueries({ queryKey: ["overview", customerId] }),
  });
}

const LEVELS = ["Acceptable Progress/Participation", "Not Participating", "Not Progressing", "No longer appropriate for provider services"] as const;

function Status({ profile }: { profile: Profile }) {
  const me = useAuth().session!.me;
  const level = useCustomerChange(profile.id, async (value: (typeof LEVELS)[number]) =>
    data(await api.PUT("/api/customers/{customer_id}/level-of-progress", { params: { path: { customer_id: profile.id } }, body: { level_of_progress: value } })),
  );
  return (
    <>
      <p>
        <strong>E&amp;T status:</strong> <span data-testid="et-status">{profile.et_status ?? "—"}</span>
        {profile.et_status_date && ` since ${profile.et_status_date}`}
      </p>
      <Table bordered compact caption="E&T status history">
        <thead>
          <tr><th scope="col">Status</th><th scope="col">Effective</th><th scope="col">Cause</th><th scope="col">By</th></tr>
        </thead>
        <tbody>
          {profile.status_history.map((change, index) => (
            <tr key={index}><td>{change.status}</td><td>{change.effective_date}</td><td>{change.cause}</td><td>{change.actor ?? "—"}</td></tr>
          ))}
        </tbody>
      </Table>
      <p>
        <strong>Level of progress:</strong> {profile.level_of_progress ?? "—"}
      </p>
      {can.editCustomer(me) && (
        <Form onSubmit={(event) => { event.preventDefault(); level.mutate(new FormData(event.currentTarget).get("level") as (typeof LEVELS)[number]); }}>
          <Label htmlFor="level">Set level of progress</Label>
          <Select id="level" name="level" defaultValue={profile.level_of_progress ?? LEVELS[0]}>
            {LEVELS.map((value) => <option key={value}>{value}</option>)}
          </Select>
          <Problem error={level.error} />
          <Button type="submit" disabled={level.isPending}>Save level of progress</Button>
        </Form>
      )}
      <ul>
        <li>Initial assessment: {profile.initial_assessment_date ?? "not done"} {profile.initial_assessment_update_due && <strong>— update due</strong>}</li>
        <li>Needs assessment: {profile.needs_assessment_date ?? "not done"} {profile.needs_assessment_due_by && `(due by ${profile.needs_assessment_due_by})`} {profile.needs_assessment_update_due && <strong>— update due</strong>}</li>
      </ul>
      <Table bordered compact caption="SNAP eligibility history">
        <thead><tr><th scope="col">Eligibility</th><th scope="col">As of</th></tr></thead>
        <tbody>
          {profile.eligibility_history.map((change, index) => (
            <tr key={index}><td>{change.status}</td><td>{new Date(change.as_of).toLocaleString()}</td></tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

function ResourceTeam({ profile }: { profile: Profile }) {
  const me = useAuth().session!.me;
  const path = { customer_id: profile.id };
  const add = useCustomerChange(profile.id, async (body: { name: string; email: string }) =>
    data(await api.POST("/api/customers/{customer_id}/resource-team", { params: { path }, body })),
  );
  const remove = useCustomerChange(profile.id, async (email: string) =>
    data(await api.DELETE("/api/customers/{customer_id}/resource-team/{email}", { params: { path: { ...path, email } } })),
  );
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    add.mutate({ name: String(form.get("contact-name")), email: String(form.get("contact-email")) });
  }
  return (
    <>
      {profile.resource_team.length === 0 && (
        <Alert type="warning" headingLevel="h4" slim>
          No Integrated Resource Team contact yet: at least one is expected.
        </Alert>
      )}
      <ul>
        {profile.resource_team.map((contact) => (
          <li key={contact.email}>
            {contact.name} ({contact.email}){" "}
            {can.editCustomer(me) && (
              <Button type="button" unstyled onClick={() => remove.mutate(contact.email)}>
                Remove {contact.name}
              </Button>
            )}
          </li>
        ))}
      </ul>
      <Problem error={remove.error} />
      {can.editCustomer(me) && (
        <Form onSubmit={submit}>
          <Label htmlFor="contact-name">Contact name</Label>
          <TextInput id="contact-name" name="contact-name" type="text" required />
          <Label htmlFor="contact-email">Contact e-mail</Label>
          <TextInput id="contact-email" name="contact-email" type="email" required />
          <Problem error={add.error} />
          <Button type="submit" disabled={add.isPending}>Add contact</Button>
        </Form>
      )}
    </>
  );
}

function Earnfare({ profile }: { profile: Profile }) {
  const me = useAuth().session!.me;
  const [today] = useState(() => new Date().toISOString().slice(0, 10));
  const set = useCustomerChange(profile.id, async (body: { benefit_amount: string; effective_date: string }) =>
    data(await api.POST("/api/customers/{customer_id}/earnfare-benefit", { params: { path: { customer_id: profile.id } }, body })),
  );
  return (
    <>
      <p>
        <strong>Benefit:</strong> {profile.earnfare_benefit_amount ?? "—"} · <strong>Monthly hours:</strong> {profile.monthly_benefit_hours ?? "—"}
      </p>
      <Table bordered compact caption="Earnfare benefit history">
        <thead><tr><th scope="col">Amount</th><th scope="col">Effective</th><th scope="col">Monthly hours</th><th scope="col">Set by</th></tr></thead>
        <tbody>
          {profile.benefit_history.map((change, index) => (
            <tr key={index}><td>{change.amount}</td><td>{change.effective_date}</td><td>{change.monthly_benefit_hours}</td><td>{change.set_by}</td></tr>
          ))}
        </tbody>
      </Table>
      {can.editEarnfare(me) && (
        <Form onSubmit={(event) => { event.preventDefault(); const form = new FormData(event.currentTarget); set.mutate({ benefit_amount: String(form.get("benefit-amount")), effective_date: String(form.get("benefit-date")) }); }}>
          <Label htmlFor="benefit-amount">Benefit amount ($)</Label>
          <TextInput id="benefit-amount" name="benefit-amount" type="text" inputMode="decimal" required />
          <Label htmlFor="benefit-date">Effective date</Label>
          <input className="usa-input" id="benefit-date" name="benefit-date" type="date" defaultValue={today} required />
          <Problem error={set.error} />
          <Button type="submit" disabled={set.isPending}>Set benefit</Button>
        </Form>
      )}
    </>
  );
}
