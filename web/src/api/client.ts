import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Profile = Schemas["Profile"];
export type ReferredCustomer = Schemas["ReferredCustomer"];
export type Referral = Schemas["ReferralOut"];
export type Me = Schemas["Me"];
export type PlanOverview = Schemas["PlanOverview"];
export type Goal = Schemas["GoalWithActivities"];
export type Activity = Schemas["ActivityOut"];
export type ActivityOption = Schemas["ActivityOption"];
export type ActivityStatus = Schemas["ActivityStatus"];
export type CaseNote = Schemas["CaseNoteOut"];
export type Location = Schemas["LocationOut"];
export type Contract = Schemas["ContractOut"];

/** A refusal of the API, with the field or rule each problem concerns (the services' 4xx bodies). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problems: { field: string | null; rule: string }[],
  ) {
    super(problems.map((p) => (p.field ? `${p.field}: ${p.rule}` : p.rule)).join("; ") || `HTTP ${status}`);
  }
}

/** The text of the problems of `error` that name `field` (all when no field is given), or that name none of `except`. */
export function problemText(error: unknown, field?: string, except: string[] = []): string | null {
  if (!error) return null;
  if (!(error instanceof ApiError) || !error.problems.length) return field ? null : error instanceof Error ? error.message : String(error);
  const shown = error.problems.filter((p) => (field ? p.field === field : !except.includes(p.field ?? "")));
  if (field) return shown.map((p) => p.rule).join("; ") || null;
  if (!shown.length) return null;
  return shown.map((p) => (p.field ? `${p.field}: ${p.rule}` : p.rule)).join("; ");
}

export function apiError(status: number, body: unknown): ApiError {
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === "string") return new ApiError(status, [{ field: null, rule: detail }]);
  if (Array.isArray(detail))
    return new ApiError(
      status,
      detail.map((d: { field?: string; rule?: string; msg?: string; loc?: unknown[] }) => ({
        field: d.field ?? (Array.isArray(d.loc) ? String(d.loc[d.loc.length - 1]) : null),
        rule: d.rule ?? d.msg ?? "refused",
      })),
    );
  return new ApiError(status, []);
}

let token: string | null = null;
let onExpired: () => void = () => {};

export function useToken(value: string | null, expired: () => void) {
  token = value;
  onExpired = expired;
}

const bearer: Middleware = {
  onRequest({ request }) {
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && token) onExpired();
    return response;
  },
};

// fetch looked up on each call (not captured once), so tests can stand in for the network.
export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: (request) => globalThis.fetch(request) });
api.use(bearer);

/** The data of an answer, or an ApiError thrown. */
export function data<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.error !== undefined || !answer.response.ok) throw apiError(answer.response.status, answer.error);
  return answer.data as T;
}

/** Downloads and binary answers (CSV export, PDF form) go through fetch with the token. */
export async function authorizedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  const response = await fetch(url, { ...init, headers });
  if (response.status === 401 && token) onExpired();
  if (!response.ok) throw apiError(response.status, await response.json().catch(() => undefined));
  return response;
}

export async function saveDownload(response: Response, fallbackName: string) {
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}
