import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Form, Label, Select, Table, Textarea, TextInput } from "@trussworks/react-uswds";
import { api, data, type Contract, type Me, type Schemas } from "../api/client";
import { useAuth } from "../auth";
import { Problem } from "../components/Layout";
import { can } from "../roles";

type Code = Schemas["ActivityCode"];
// What a contract may offer: SNAP E&T and Other E&T activities (support services and referrals need none).
export const CONTRACT_CODES: Code[] = ["BE", "CW", "ELA", "INT", "JR", "JST", "OJT", "SJS", "TJ", "VT", "WRT", "A/BA", "CS", "E", "SE", "SET"];
const OFFERINGS: Schemas["ProgramOffering"][] = ["Training & Job Placement Services", "Only Job Placement Services", "None of the above"];

/** The Illinois fiscal year a day falls in, named by the year it ends (FY2025 = 2024-07-01..2025-06-30). */
export function fiscalYear(day: Date): number {
  return day.getMonth() >= 6 ? day.getFullYear() + 1 : day.getFullYear();
}

/** A comma-separated list as terms: trimmed, no blanks. */
export const terms = (value: FormDataEntryValue | null) => String(value ?? "").split(",").map((t) => t.trim()).filter(Boolean);

function useReference() {
  const queries = useQueryClient();
  return () => queries.invalidateQueries({ queryKey: ["reference"] });
}

export function ProviderInfo() {
  const me = useAuth().session!.me;
  const providers = useQuery({ queryKey: ["reference", "providers"], queryFn: async () => data(await api.GET("/api/providers")) });
  const locations = useQuery({ queryKey: ["reference", "locations"], queryFn: async () => data(await api.GET("/api/locations")) });
  const contracts = useQuery({ queryKey: ["reference", "contracts"], queryFn: async () => data(await api.GET("/api/program-contracts")) });
  return (
    <div className="margin-top-4">
      <h1>Provider Info</h1>
      <Problem error={providers.error ?? locations.error ?? contracts.error} />
      <Table bordered compact fullWidth caption="Providers">
        <thead><tr><th scope="col">Provider</th><th scope="col">Locations</th></tr></thead>
        <tbody>
          {providers.data?.map((p) => (
            <tr key={p.id}><td>{p.name}</td><td>{locations.data?.filter((l) => l.provider_id === p.id).map((l) => l.id).join(", ") || "—"}</td></tr>
          ))}
        </tbody>
      </Table>
      <Table bordered compact fullWidth caption="Provider locations (referrals go to open ones)">
        <thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Provider</th><th scope="col">County</th><th scope="col">Address</th><th scope="col">Open</th></tr></thead>
        <tbody>
          {locations.data?.map((l) => (
            <tr key={l.id}><td>{l.id}</td><td>{l.name}</td><td>{l.provider_name}</td><td>{l.county}</td><td>{l.address || "—"}</td><td>{l.open ? "Yes" : "No"}</td></tr>
          ))}
        </tbody>
      </Table>
      <h2>E&amp;T program contracts</h2>
      {contracts.data?.length === 0 && <p>No program contracts yet.</p>}
      {contracts.data?.map((contract) => <ContractView key={`${contract.id}-${contract.version}`} me={me} contract={contract} />)}
      {can.maintainProviders(me) && providers.data && locations.data && (
        <>
          <AddProvider />
          <OpenLocation providers={providers.data} />
          <SignContract locations={locations.data.map((l) => l.id)} />
        </>
      )}
    </div>
  );
}

function ContractView({ me, contract }: { me: Me; contract: Contract }) {
  const [editing, setEditing] = useState(false);
  const reload = useReference();
  const edit = useMutation({
    mutationFn: async (body: Schemas["ContractEdit"]) =>
      data(await api.PATCH("/api/program-contracts/{contract_id}", { params: { path: { contract_id: contract.id } }, body })),
    onSuccess: () => { setEditing(false); reload(); },
  });
  const fields = can.contractFields(me);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body: Schemas["ContractEdit"] = { version: contract.version };
    if (fields.includes("program_name")) Object.assign(body, { program_name: String(form.get("program_name")), contract_number: String(form.get("contract_number")), offering: form.get("offering") });
    Object.assign(body, { schedule: String(form.get("schedule")), skills: terms(form.get("skills")), interests: terms(form.get("interests")), activities_offered: form.getAll("activities_offered") as Code[] });
    edit.mutate(body);
  }
  const id = `contract-${contract.id}`;
  return (
    <section aria-label={`Contract ${contract.contract_number}`} className="isets-activity">
      <h3 className="margin-bottom-05">{contract.program_name} — {contract.contract_number} (FY{contract.fiscal_year}) at {contract.location_id}</h3>
      <p className="margin-y-05">{contract.offering}. Offers: {contract.activities_offered.join(", ") || "none"}.</p>
      <p className="margin-y-05">Schedule: {contract.schedule || "—"} · Skills: {contract.skills.join(", ") || "—"} · Interests: {contract.interests.join(", ") || "—"}</p>
      {can.editContract(me, contract.location_id) && !editing && <Button type="button" unstyled onClick={() => setEditing(true)}>Edit contract {contract.contract_number}</Button>}
      {editing && (
        <Form onSubmit={submit} large>
          {fields.includes("program_name") && (
            <>
              <Label htmlFor={`${id}-number`}>Contract number</Label>
              <TextInput id={`${id}-number`} name="contract_number" type="text" defaultValue={contract.contract_number} />
              <Problem error={edit.error} field="contract_number" />
              <Label htmlFor={`${id}-program`}>Program name</Label>
              <TextInput id={`${id}-program`} name="program_name" type="text" defaultValue={contract.program_name} />
              <Problem error={edit.error} field="program_name" />
              <Label htmlFor={`${id}-offering`}>Offering</Label>
              <Select id={`${id}-offering`} name="offering" defaultValue={contract.offering}>{OFFERINGS.map((o) => <option key={o}>{o}</option>)}</Select>
            </>
          )}
          <ContractTermsFields prefix={id} contract={contract} error={edit.error} />
          <Problem error={edit.error} except={["contract_number", "program_name", "schedule", "skills", "interests", "activities_offered"]} />
          <Button type="submit" disabled={edit.isPending}>Save contract</Button>
          <Button type="button" unstyled onClick={() => setEditing(false)}>Cancel</Button>
        </Form>
      )}
    </section>
  );
}

function ContractTermsFields({ prefix, contract, error }: { prefix: string; contract?: Contract; error: unknown }) {
  return (
    <>
      <Label htmlFor={`${prefix}-activities`}>Activities offered (hold Ctrl or ⌘ to choose several)</Label>
      <select className="usa-select" id={`${prefix}-activities`} name="activities_offered" multiple size={6} defaultValue={contract?.activities_offered ?? []}>
        {CONTRACT_CODES.map((code) => <option key={code}>{code}</option>)}
      </select>
      <Problem error={error} field="activities_offered" />
      <Label htmlFor={`${prefix}-schedule`}>Schedule</Label>
      <Textarea id={`${prefix}-schedule`} name="schedule" defaultValue={contract?.schedule ?? ""} maxLength={2000} />
      <Problem error={error} field="schedule" />
      <Label htmlFor={`${prefix}-skills`}>Skills (comma-separated)</Label>
      <TextInput id={`${prefix}-skills`} name="skills" type="text" defaultValue={contract?.skills.join(", ") ?? ""} />
      <Problem error={error} field="skills" />
      <Label htmlFor={`${prefix}-interests`}>Interests (comma-separated)</Label>
      <TextInput id={`${prefix}-interests`} name="interests" type="text" defaultValue={contract?.interests.join(", ") ?? ""} />
      <Problem error={error} field="interests" />
    </>
  );
}

function AddProvider() {
  const reload = useReference();
  const add = useMutation({
    mutationFn: async (name: string) => data(await api.POST("/api/providers", { body: { name } })),
    onSuccess: reload,
  });
  return (
    <Form onSubmit={(event) => { event.preventDefault(); const form = event.currentTarget; add.mutate(String(new FormData(form).get("name")), { onSuccess: () => form.reset() }); }}>
      <h2>Register a provider</h2>
      <Label htmlFor="provider-name">Provider name</Label>
      <TextInput id="provider-name" name="name" type="text" maxLength={200} required />
      <Problem error={add.error} />
      <Button type="submit" disabled={add.isPending}>Register provider</Button>
    </Form>
  );
}

function OpenLocation({ providers }: { providers: Schemas["ProviderOut"][] }) {
  const reload = useReference();
  const open = useMutation({
    mutationFn: async ({ provider, ...body }: Schemas["LocationIn"] & { provider: string }) =>
      data(await api.POST("/api/providers/{provider_id}/locations", { params: { path: { provider_id: provider } }, body })),
    onSuccess: reload,
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const target = event.currentTarget;
    open.mutate(
      { provider: String(form.get("provider")), id: String(form.get("id")), name: String(form.get("name")), county: String(form.get("county")), address: String(form.get("address")) },
      { onSuccess: () => target.reset() },
    );
  }
  return (
    <Form onSubmit={submit} large>
      <h2>Add a location</h2>
      <Label htmlFor="location-provider">Provider</Label>
      <Select id="location-provider" name="provider" required>{providers.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}</Select>
      <Label htmlFor="location-id">Location code (referrals name it, e.g. LOC-C)</Label>
      <TextInput id="location-id" name="id" type="text" maxLength={40} required />
      <Problem error={open.error} field="id" />
      <Label htmlFor="location-name">Location name</Label>
      <TextInput id="location-name" name="name" type="text" maxLength={200} required />
      <Problem error={open.error} field="name" />
      <Label htmlFor="location-county">County</Label>
      <TextInput id="location-county" name="county" type="text" maxLength={100} required />
      <Problem error={open.error} field="county" />
      <Label htmlFor="location-address">Address</Label>
      <TextInput id="location-address" name="address" type="text" maxLength={300} />
      <Problem error={open.error} field="address" />
      <Problem error={open.error} except={["id", "name", "county", "address"]} />
      <Button type="submit" disabled={open.isPending}>Add location</Button>
    </Form>
  );
}

function SignContract({ locations }: { locations: string[] }) {
  const reload = useReference();
  const sign = useMutation({
    mutationFn: async (body: Schemas["ContractIn"]) => data(await api.POST("/api/program-contracts", { body })),
    onSuccess: reload,
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const target = event.currentTarget;
    sign.mutate({
      location_id: String(form.get("location_id")), contract_number: String(form.get("contract_number")), fiscal_year: Number(form.get("fiscal_year")),
      program_name: String(form.get("program_name")), offering: form.get("offering") as Schemas["ProgramOffering"],
      activities_offered: form.getAll("activities_offered") as Code[], schedule: String(form.get("schedule")), skills: terms(form.get("skills")), interests: terms(form.get("interests")),
    }, { onSuccess: () => target.reset() });
  }
  return (
    <Form onSubmit={submit} large>
      <h2>Add a program contract</h2>
      <Label htmlFor="contract-location">Location</Label>
      <Select id="contract-location" name="location_id" required>{locations.map((l) => <option key={l}>{l}</option>)}</Select>
      <Problem error={sign.error} field="location_id" />
      <Label htmlFor="contract-number">Contract number</Label>
      <TextInput id="contract-number" name="contract_number" type="text" maxLength={40} required />
      <Problem error={sign.error} field="contract_number" />
      <Label htmlFor="contract-fy">Fiscal year (named by the year it ends)</Label>
      <TextInput id="contract-fy" name="fiscal_year" type="number" defaultValue={String(fiscalYear(new Date()))} required />
      <Problem error={sign.error} field="fiscal_year" />
      <Label htmlFor="contract-program">Program name</Label>
      <TextInput id="contract-program" name="program_name" type="text" maxLength={200} required />
      <Problem error={sign.error} field="program_name" />
      <Label htmlFor="contract-offering">Offering</Label>
      <Select id="contract-offering" name="offering">{OFFERINGS.map((o) => <option key={o}>{o}</option>)}</Select>
      <ContractTermsFields prefix="new-contract" error={sign.error} />
      <Problem error={sign.error} except={["location_id", "contract_number", "fiscal_year", "program_name", "schedule", "skills", "interests", "activities_offered"]} />
      <Button type="submit" disabled={sign.isPending}>Add contract</Button>
    </Form>
  );
}
