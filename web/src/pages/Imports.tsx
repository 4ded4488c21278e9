import { useState, type FormEvent } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Form, Label, Select, Table, TextInput } from "@trussworks/react-uswds";
import { api, apiError, data, type Schemas } from "../api/client";
import { Problem } from "../components/Layout";

type Run = Schemas["ImportRun"];

/** Streams the extract to the gateway; XMLHttpRequest because fetch reports no upload progress. */
function upload(file: File, token: string | null, progress: (fraction: number) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", `/api/ies/imports?file_name=${encodeURIComponent(file.name)}`);
    request.setRequestHeader("Content-Type", "text/csv");
    if (token) request.setRequestHeader("Authorization", `Bearer ${token}`);
    request.upload.onprogress = (event) => event.lengthComputable && progress(event.loaded / event.total);
    request.onload = () => {
      const body = JSON.parse(request.responseText || "null");
      if (request.status < 300) resolve(body as Run);
      else reject(apiError(request.status, body));
    };
    request.onerror = () => reject(new Error("the upload was interrupted"));
    request.send(file);
  });
}

function sessionToken(): string | null {
  const raw = sessionStorage.getItem("isets.session");
  return raw ? (JSON.parse(raw) as { token: string }).token : null;
}

export function Imports() {
  const queries = useQueryClient();
  const runs = useQuery({ queryKey: ["imports"], queryFn: async () => data(await api.GET("/api/ies/imports")), refetchInterval: 3000 });
  const [progress, setProgress] = useState<number | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [started, setStarted] = useState<Run | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = (new FormData(event.currentTarget).get("extract") as File | null) ?? null;
    if (!file || !file.name) return;
    setProblem(null);
    setStarted(null);
    setProgress(0);
    try {
      setStarted(await upload(file, sessionToken(), setProgress));
      await queries.invalidateQueries({ queryKey: ["imports"] });
    } catch (error) {
      setProblem(error);
    } finally {
      setProgress(null);
    }
  }

  return (
    <>
      <h1>IES imports</h1>
      <Form onSubmit={submit}>
        <Label htmlFor="extract">IES extract (CSV)</Label>
        <input className="usa-file-input" id="extract" name="extract" type="file" accept=".csv,text/csv" required />
        {progress !== null && (
          <div>
            <label htmlFor="upload-progress">Uploading</label>{" "}
            <progress id="upload-progress" max={1} value={progress}>
              {Math.round(progress * 100)} %
            </progress>
          </div>
        )}
        <Problem error={problem} />
        <Button type="submit" disabled={progress !== null}>Upload extract</Button>
      </Form>
      {started && (
        <Alert type="success" headingLevel="h2" slim>
          Import run <Link to={`/imports/${started.id}`}>{started.id}</Link> started.
        </Alert>
      )}
      <Problem error={runs.error} />
      <Table bordered fullWidth caption="Import runs">
        <thead>
          <tr>
            <th scope="col">Run</th><th scope="col">File</th><th scope="col">Status</th><th scope="col">Rows</th>
            <th scope="col">New</th><th scope="col">Changed</th><th scope="col">Unchanged</th><th scope="col">Quarantined</th><th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {(runs.data ?? []).map((run) => (
            <tr key={run.id}>
              <td><Link to={`/imports/${run.id}`}>Run {run.id}</Link></td>
              <td>{run.file_name ?? run.source}</td><td>{run.status}</td><td>{run.rows_read}</td>
              <td>{run.new}</td><td>{run.changed}</td><td>{run.unchanged}</td><td>{run.rejected}</td>
              <td>{new Date(run.started_at).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <SyncPerson />
    </>
  );
}

export function ImportRunPage() {
  const runId = Number(useParams().runId);
  const run = useQuery({
    queryKey: ["imports", runId],
    queryFn: async () => data(await api.GET("/api/ies/imports/{run_id}", { params: { path: { run_id: runId } } })),
    refetchInterval: (query) => (query.state.data?.status === "running" ? 2000 : false),
  });
  if (run.error) return <Problem error={run.error} />;
  if (!run.data) return <p>Loading…</p>;
  const detail = run.data;
  return (
    <>
      <h1>Import run {detail.id}</h1>
      <p>
        <Link to="/imports">All import runs</Link>
      </p>
      <dl>
        <dt>Status</dt><dd data-testid="run-status">{detail.status}</dd>
        <dt>File</dt><dd>{detail.file_name ?? detail.source}</dd>
        <dt>Counts</dt>
        <dd>
          {detail.rows_read} rows read: {detail.new} new, {detail.changed} changed, {detail.unchanged} unchanged, {detail.stale} stale, {detail.rejected} quarantined
        </dd>
        {detail.error && (<><dt>Error</dt><dd>{detail.error}</dd></>)}
      </dl>
      <Table bordered fullWidth caption="Quarantined rows">
        <thead><tr><th scope="col">Row</th><th scope="col">Individual number</th><th scope="col">Reason</th></tr></thead>
        <tbody>
          {detail.quarantined.map((row) => (
            <tr key={row.row_number}><td>{row.row_number}</td><td>{row.individual_number ?? "—"}</td><td>{row.reason}</td></tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

const IES_FIELDS = [
  ["first_name", "First name"], ["last_name", "Last name"], ["date_of_birth", "Date of birth (YYYY-MM-DD)"],
  ["snap_case_number", "SNAP case number"], ["ssn_last4", "SSN last 4"], ["email", "E-mail"], ["phone", "Phone"],
  ["address_line1", "Address"], ["city", "City"], ["state", "State"], ["zip", "ZIP"], ["county", "County"],
  ["dhs_office", "DHS office"], ["redetermination_date", "Redetermination date"], ["midpoint_date", "Mid-point date"],
] as const;

/** "Sync with IES": one person's record as IES has it now, applied like a row of an extract; the customer
 * page opens it with `?sync=<individual number>`. */
function SyncPerson() {
  const individualNumber = useSearchParams()[0].get("sync") ?? "";
  const [result, setResult] = useState<Schemas["SingleUpdateResult"] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body: Record<string, string> = { as_of: new Date().toISOString() };
    for (const [name, value] of form.entries()) if (String(value).trim()) body[name] = String(value).trim();
    setProblem(null);
    setResult(null);
    try {
      setResult(data(await api.POST("/api/ies/persons", { body: body as Schemas["SingleUpdate"] })));
    } catch (error) {
      setProblem(error);
    }
  }
  return (
    <section aria-labelledby="sync-heading" className="margin-top-4">
      <h2 id="sync-heading">Sync with IES (one person)</h2>
      <Form onSubmit={submit}>
        <Label htmlFor="sync-individual_number">IDHS individual number</Label>
        <TextInput id="sync-individual_number" name="individual_number" type="text" required defaultValue={individualNumber} autoFocus={Boolean(individualNumber)} />
        <Label htmlFor="sync-snap_eligibility_status">SNAP eligibility</Label>
        <Select id="sync-snap_eligibility_status" name="snap_eligibility_status" defaultValue="">
          <option value="">(unchanged)</option>
          <option>Pending Application</option><option>Yes</option><option>No</option>
        </Select>
        {IES_FIELDS.map(([name, label]) => (
          <div key={name}>
            <Label htmlFor={`sync-${name}`}>{label}</Label>
            <TextInput id={`sync-${name}`} name={name} type="text" />
          </div>
        ))}
        <Problem error={problem} />
        <Button type="submit">Sync with IES</Button>
      </Form>
      {result && (
        <Alert type="success" headingLevel="h3" slim>
          {result.decision}: {result.changed_fields.join(", ") || "nothing changed"} (run {result.run_id})
        </Alert>
      )}
    </section>
  );
}
