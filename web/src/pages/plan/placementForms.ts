import type { Schemas } from "../../api/client";

export type Placement = Schemas["PlacementOut"];
export type FollowUp = Schemas["FollowUpOut"];

export const PLACEMENT_STATUSES = ["Planned/Not Started", "Started (Open)", "Successful Completion", "Unsuccessful Completion"] as const;
export const POSITION_TYPES = ["Full-time", "Part-time"] as const;

/** The text fields of a form that were filled in, trimmed; empty ones are left out (not sent). */
function filled(form: FormData): Record<string, string> {
  const body: Record<string, string> = {};
  for (const [name, value] of form.entries()) if (String(value).trim()) body[name] = String(value).trim();
  return body;
}

/** The Add placement form as the API's body. */
export function placementBody(form: FormData): Schemas["PlacementIn"] {
  const body = filled(form);
  return { ...body, job_id: Number(body.job_id) } as unknown as Schemas["PlacementIn"];
}

/** The Change placement form as the API's body: only what was filled in changes. */
export function placementChange(form: FormData): Schemas["PlacementChange"] {
  const body: Record<string, string | number> = filled(form);
  if (body.job_id) body.job_id = Number(body.job_id);
  return body as unknown as Schemas["PlacementChange"];
}

/** What the follow-up row offers: Verify once reached and not verified yet. */
export function followUpState(followUp: FollowUp): { verifiable: boolean; text: string } {
  if (followUp.verified_on) return { verifiable: false, text: `Verified on ${followUp.verified_on} by ${followUp.verified_by}` };
  if (!followUp.reached) return { verifiable: false, text: `Not reached until ${followUp.due}` };
  return { verifiable: true, text: "Due" };
}

/** Which dates the status change asks for: a completion its end date. */
export function datesForStatus(status: string): "end_date" | null {
  return status === "Successful Completion" || status === "Unsuccessful Completion" ? "end_date" : null;
}
