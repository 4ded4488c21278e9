import { useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Form, Label, Select, Table, TextInput } from "@trussworks/react-uswds";
import { api, data } from "../api/client";
import { Problem } from "../components/Layout";

/** The text fields of a form that were filled in, trimmed. */
export function filledFields(form: FormData): Record<string, string> {
  const body: Record<string, string> = {};
  for (const [name, value] of form.entries()) if (String(value).trim()) body[name] = String(value).trim();
  return body;
}

/** Employers, their worksites and jobs: registered before customers are placed at them. */
export function Employers() {
  const queries = useQueryClient();
  const employers = useQuery({ queryKey: ["employers"], queryFn: async () => data(await api.GET("/api/employers", { params: { query: { page_size: 500 } } })) });
  const jobs = useQuery({ queryKey: ["jobs"], queryFn: async () => data(await api.GET("/api/jobs", { params: { query: { page_size: 500 } } })) });
  const [problem, setProblem] = useState<unknown>(null);
  const [employerId, setEmployerId] = useState("");
  const worksites = useQuery({
    queryKey: ["employers", employerId, "worksites"],
    enabled: Boolean(employerId),
    queryFn: async () => data(await api.GET("/api/employers/{employer_id}/worksites", { params: { path: { employer_id: Number(employerId) } } })),
  });

  function submitter(send: (body: Record<string, string>) => Promise<unknown>) {
    return async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const form = event.currentTarget;
      setProblem(null);
      try {
        await send(filledFields(new FormData(form)));
        form.reset();
        await queries.invalidateQueries({ queryKey: ["employers"] });
        await queries.invalidateQueries({ queryKey: ["jobs"] });
      } catch (error) {
        setProblem(error);
      }
    };
  }
  const addEmployer = submitter(async (body) => data(await api.POST("/api/employers", { body: body as never })));
  const addWorksite = submitter(async (body) =>
    data(await api.POST("/api/employers/{employer_id}/worksites", { params: { path: { employer_id: Number(employerId) } }, body: body as never })),
  );
  const addJob = submitter(async ({ worksite_id, openings, ...body }) =>
    data(await api.POST("/api/worksites/{worksite_id}/jobs", { params: { path: { worksite_id: Number(worksite_id) } }, body: { ...body, openings: Number(openings) } as never })),
  );

  return (
    <>
      <h1>Employers, worksites and jobs</h1>
      <Problem error={problem ?? employers.error ?? jobs.error} />
      <Table bordered fullWidth caption="Jobs">
        <thead>
          <tr><th scope="col">Job</th><th scope="col">Employer</th><th scope="col">Worksite</th><th scope="col">County</th><th scope="col">Openings</th><th scope="col">Openings filled</th></tr>
        </thead>
        <tbody>
          {(jobs.data?.items ?? []).map((job) => (
            <tr key={job.id}>
              <td>{job.title}</td><td>{job.employer_name}</td><td>{job.worksite_name}</td><td>{job.county}</td><td>{job.openings}</td><td>{job.openings_filled}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <section aria-labelledby="register-employer">
        <h2 id="register-employer">Register an employer</h2>
        <Form onSubmit={addEmployer}>
          <Label htmlFor="employer-name">Employer name</Label><TextInput id="employer-name" name="name" type="text" required />
          <Label htmlFor="employer-fein">FEIN (NN-NNNNNNN)</Label><TextInput id="employer-fein" name="fein" type="text" />
          <Label htmlFor="employer-contact_name">Contact name</Label><TextInput id="employer-contact_name" name="contact_name" type="text" required />
          <Label htmlFor="employer-contact_phone">Contact phone</Label><TextInput id="employer-contact_phone" name="contact_phone" type="tel" />
          <Label htmlFor="employer-contact_email">Contact e-mail</Label><TextInput id="employer-contact_email" name="contact_email" type="email" />
          <Button type="submit">Register employer</Button>
        </Form>
      </section>
      <section aria-labelledby="add-worksite">
        <h2 id="add-worksite">Add a worksite or job</h2>
        <Label htmlFor="worksite-employer">Employer</Label>
        <Select id="worksite-employer" name="employer" value={employerId} onChange={(e) => setEmployerId(e.target.value)}>
          <option value="">Choose an employer</option>
          {(employers.data?.items ?? []).map((employer) => <option key={employer.id} value={employer.id}>{employer.name}</option>)}
        </Select>
        {employerId && (
          <>
            <Form onSubmit={addWorksite}>
              <Label htmlFor="worksite-name">Worksite name</Label><TextInput id="worksite-name" name="name" type="text" required />
              <Label htmlFor="worksite-street">Street</Label><TextInput id="worksite-street" name="street" type="text" required />
              <Label htmlFor="worksite-city">City</Label><TextInput id="worksite-city" name="city" type="text" required />
              <Label htmlFor="worksite-zip_code">ZIP code</Label><TextInput id="worksite-zip_code" name="zip_code" type="text" required />
              <Label htmlFor="worksite-county">County</Label><TextInput id="worksite-county" name="county" type="text" required />
              <Button type="submit">Add worksite</Button>
            </Form>
            <Form onSubmit={addJob}>
              <Label htmlFor="job-worksite_id">Worksite</Label>
              <Select id="job-worksite_id" name="worksite_id" required defaultValue="">
                <option value="" disabled>Choose a worksite</option>
                {(worksites.data ?? []).map((site) => <option key={site.id} value={site.id}>{site.name}</option>)}
              </Select>
              <Label htmlFor="job-title">Job title</Label><TextInput id="job-title" name="title" type="text" required />
              <Label htmlFor="job-openings">Openings</Label><TextInput id="job-openings" name="openings" type="number" min={1} required />
              <Label htmlFor="job-hourly_wage">Hourly wage</Label><TextInput id="job-hourly_wage" name="hourly_wage" type="text" inputMode="decimal" />
              <Button type="submit">Add job</Button>
            </Form>
          </>
        )}
      </section>
    </>
  );
}
