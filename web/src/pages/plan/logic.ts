import type { Activity, ActivityOption, ActivityStatus, Schemas } from "../../api/client";

export type ActivityChange = Schemas["ActivityChange"];

export const ACTIVITY_STATUSES: ActivityStatus[] = [
  "Planned/Not Started", "Started/Open", "Successful Completion", "Unsuccessful Completion", "Evaluated/Not Required",
];
const COMPLETED: ActivityStatus[] = ["Successful Completion", "Unsuccessful Completion"];

/** casemgmt deletes only activities that never started: planned now and never anything else before. */
export function neverStarted(activity: Activity): boolean {
  return activity.status === "Planned/Not Started" && activity.status_history.every((entry) => entry.status === "Planned/Not Started");
}

export const needsCompletionDate = (status: ActivityStatus) => COMPLETED.includes(status);

/** The activity options grouped by kind, in the catalogue's order; each keeps why it cannot be added. */
export function optionsByKind(options: ActivityOption[]): [string, ActivityOption[]][] {
  const groups = new Map<string, ActivityOption[]>();
  for (const option of options) groups.set(option.kind, [...(groups.get(option.kind) ?? []), option]);
  return [...groups];
}

/** What the step 3 form changes: only the fields that differ from the activity (a blank date clears it). */
export function activityChange(activity: Activity, form: FormData): ActivityChange {
  const change: ActivityChange = {};
  const status = form.get("status") as ActivityStatus | null;
  if (status && status !== activity.status) {
    change.status = status;
    const effective = String(form.get("effective_date") ?? "");
    if (effective) change.effective_date = effective;
  }
  for (const name of ["planned_start", "planned_completion", "actual_completion"] as const) {
    if (!form.has(name)) continue;
    const value = String(form.get(name)) || null;
    if (value !== activity[name]) change[name] = value;
  }
  const hours = String(form.get("weekly_hours") ?? "");
  if (hours !== "" && Number(hours) !== Number(activity.weekly_hours)) change.weekly_hours = hours;
  return change;
}
