import { Fragment, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router-dom";
import { Alert, Button, Form, Label, Select, Table, TextInput } from "@trussworks/react-uswds";
import { api, ApiError, authorizedFetch, data, type Profile, type Referral, type ReferredCustomer } from "../api/client";
import { useLocations } from "../api/locations";
import { useAuth } from "../auth";
import { Problem } from "../components/Layout";
import { can, isLocationScoped, referralSources } from "../roles";

const PROGRAMS = ["SNAP JP", "SNAP to Success", "Earnfare"] as const;

/** A refused change; a stale version (409) asks for a reload instead of failing silently. */
export function ChangeProblem({ error, reload }: { error: unknown; reload: () => void }) {
  if (error instanceof ApiError && error.status === 409)
    return (
      <Alert type="warning" headingLevel="h4" slim role="alert">
        This referral was changed by someone else — reload to see it.{" "}
        <Button type="button" unstyled onClick={reload}>
          Reload
        </Button>
      </Alert>
    );
  return <Problem error={error} />;
}

async function openForm(customerId: string, number: number, sequence: number) {
  // Opened before the download, so the browser does not block it as a pop-up.
  const view = window.open("", "_blank");
  const response = await authorizedFetch(`/api/customers/${customerId}/referrals/${number}/records/${sequence}/form?format=pdf`);
  const url = URL.createObjectURL(await response.blob());
  if (view) view.location.href = url;
  else window.location.href = url;
}

export function Referrals({ customerId, profile, referrals }: { customerId: string; profile: Profile | ReferredCustomer; referrals: Referral[] }) {
  const me = useAuth().session!.me;
  const queries = useQueryClient();
  const reload = () => queries.invalidateQueries({ queryKey: ["overview", customerId] });
  const [expanded, setExpanded] = useState<Record<number, boolean>>({});
  return (
    <>
      {referrals.length === 0 ? (
        <p>No referrals yet.</p>
      ) : (
        <Table bordered compact fullWidth caption="Referrals (each parent row expands to its child records)">
          <thead>
            <tr>
              <th scope="col">Record</th><th scope="col">Referred to</th><th scope="col">From</th><th scope="col">Program</th>
              <th scope="col">Submitted</th><th scope="col">Response</th><th scope="col">Form</th>
            </tr>
          </thead>
          <tbody>
            {referrals.map((referral) => (
              <Fragment key={referral.number}>
                <tr>
                  <th scope="row">
                    <Button type="button" unstyled aria-expanded={!!expanded[referral.number]} onClick={() => setExpanded({ ...expanded, [referral.number]: !expanded[referral.number] })}>
                      Referral {referral.number}
                    </Button>
                  </th>
                  <td>{referral.referred_to}</td><td>{referral.referred_from}</td><td>{referral.program}</td>
                  <td>{referral.date_submitted}</td>
                  <td data-testid={`referral-${referral.number}-response`}>{referral.response}</td>
                  <td />
                </tr>
                {expanded[referral.number] &&
                  referral.records.map((record, index) => (
                    <tr key={record.record_number} className="isets-child-row">
                      <td>
                        {record.record_number} {record.historical_reference && <em>(Historical Reference)</em>}
                      </td>
                      <td>{record.referred_to}</td><td>{record.referred_from}</td><td>{record.program}</td>
                      <td>{record.date_submitted}</td>
                      <td>
                        {record.action}: {record.response}
                        {record.reason && ` — ${record.reason}`}
                      </td>
                      <td>
                        <Button type="button" unstyled onClick={() => openForm(customerId, referral.number, index + 1)}>
                          Print {record.record_number}
                        </Button>
                      </td>
                    </tr>
                  ))}
              </Fragment>
            ))}
          </tbody>
        </Table>
      )}
      {referrals.map((referral) => (
        <ReferralActions key={referral.number} customerId={customerId} referral={referral} reload={reload} />
      ))}
      {profile.access === "full" && can.sendReferral(me) && <AddReferral customerId={customerId} />}
    </>
  );
}

function ReferralActions({ customerId, referral, reload }: { customerId: string; referral: Referral; reload: () => void }) {
  const me = useAuth().session!.me;
  const queries = useQueryClient();
  const navigate = useNavigate();
  const path = { customer_id: customerId, number: referral.number };
  const answer = useMutation({
    mutationFn: async (body: { kind: "accept"; snap_et_eligible: boolean } | { kind: "reject"; reason: string } | { kind: "resend" }) => {
      const version = referral.version;
      if (body.kind === "accept")
        return data(await api.POST("/api/customers/{customer_id}/referrals/{number}/accept", { params: { path }, body: { version, snap_et_eligible: body.snap_et_eligible } }));
      if (body.kind === "reject")
        return data(await api.POST("/api/customers/{customer_id}/referrals/{number}/reject", { params: { path }, body: { version, reason: body.reason } }));
      return data(await api.POST("/api/customers/{customer_id}/referrals/{number}/resend", { params: { path }, body: { version } }));
    },
    onSuccess: (_, change) => {
      // A location that rejects the referral no longer sees the customer: back to its list.
      if (change.kind === "reject" && isLocationScoped(me))
        navigate("/customers", { state: { notice: `Referral ${referral.number} rejected.` } });
      else queries.invalidateQueries({ queryKey: ["overview", customerId] });
    },
  });
  const pending = referral.response === "Pending";
  const rejected = referral.response === "Rejected";
  const mayAnswer = pending && can.answerReferral(me, referral.referred_to);
  const mayResend = rejected && can.resendReferral(me, referral.referred_from);
  if (!mayAnswer && !mayResend) return null;

  function accept(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    answer.mutate({ kind: "accept", snap_et_eligible: new FormData(event.currentTarget).get("eligible") === "yes" });
  }
  function reject(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    answer.mutate({ kind: "reject", reason: String(new FormData(event.currentTarget).get("reason")) });
  }
  const id = `referral-${referral.number}`;
  return (
    <section aria-label={`Referral ${referral.number} to ${referral.referred_to}`} className="margin-top-2">
      <h4>Referral {referral.number} to {referral.referred_to}</h4>
      {mayAnswer && (
        <>
          <Form onSubmit={accept}>
            <Label htmlFor={`${id}-eligible`}>SNAP E&amp;T eligible</Label>
            <Select id={`${id}-eligible`} name="eligible" defaultValue="yes">
              <option value="yes">Yes</option>
              <option value="no">No</option>
            </Select>
            <Button type="submit" disabled={answer.isPending}>Accept referral {referral.number}</Button>
          </Form>
          <Form onSubmit={reject}>
            <Label htmlFor={`${id}-reason`}>Reason for rejecting</Label>
            <TextInput id={`${id}-reason`} name="reason" type="text" required maxLength={500} />
            <Button type="submit" secondary disabled={answer.isPending}>Reject referral {referral.number}</Button>
          </Form>
        </>
      )}
      {mayResend && (
        <Button type="button" onClick={() => answer.mutate({ kind: "resend" })} disabled={answer.isPending}>
          Resend referral {referral.number}
        </Button>
      )}
      <ChangeProblem error={answer.error} reload={() => { answer.reset(); reload(); }} />
    </section>
  );
}

function AddReferral({ customerId }: { customerId: string }) {
  const me = useAuth().session!.me;
  const queries = useQueryClient();
  // The locations referrals may go to: the open ones casemgmt knows.
  const locations = useLocations(true);
  const send = useMutation({
    mutationFn: async (body: { referred_to: string; referred_from: string; program: (typeof PROGRAMS)[number] }) =>
      data(await api.POST("/api/customers/{customer_id}/referrals", { params: { path: { customer_id: customerId } }, body })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["overview", customerId] }),
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    send.mutate({
      referred_to: String(form.get("referred_to")),
      referred_from: String(form.get("referred_from")),
      program: form.get("program") as (typeof PROGRAMS)[number],
    });
  }
  return (
    <Form onSubmit={submit} className="margin-top-3">
      <h4>Add referral</h4>
      <Label htmlFor="referred_to">Refer to</Label>
      <Select id="referred_to" name="referred_to" required>
        {locations.data?.map((location) => (
          <option key={location.id} value={location.id}>
            {location.id} — {location.name} ({location.provider_name}, {location.county})
          </option>
        ))}
      </Select>
      <Problem error={locations.error} />
      <Problem error={send.error} field="referred_to" />
      <Label htmlFor="referred_from">Referred from</Label>
      <Select id="referred_from" name="referred_from">
        {referralSources(me).map((source) => <option key={source}>{source}</option>)}
      </Select>
      <Label htmlFor="program">Program</Label>
      <Select id="program" name="program">
        {PROGRAMS.map((program) => <option key={program}>{program}</option>)}
      </Select>
      <Problem error={send.error} except={["referred_to"]} />
      <Button type="submit" disabled={send.isPending || !locations.data?.length}>Add referral</Button>
    </Form>
  );
}
