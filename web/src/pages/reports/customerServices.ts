import type { Schemas } from "../../api/client";

export type CellRow = Schemas["CellRow"];
export type BulkRow = Schemas["BulkRow"];
export type RowOutcome = Schemas["RowOutcome"];

/** What a caseworker may change in a cell's row. */
export const EDITABLE = ["status", "start_date", "planned_due", "weekly_hours", "completion_date"] as const;
export type Editable = (typeof EDITABLE)[number];
export type Edits = Record<string, Partial<Record<Editable, string>>>;

export const STATUSES = [
  "Planned/Not Started",
  "Started/Open",
  "Successful Completion",
  "Unsuccessful Completion",
  "Evaluated/Not Required",
] as const;

/** The matrix's columns: its count field and the cell it opens. */
export const COLUMNS = [
  { field: "not_started", label: "Not Started", cell: "Planned/Not Started" },
  { field: "started", label: "Started", cell: "Started/Open" },
  { field: "successful", label: "Successful", cell: "Successful Completion" },
  { field: "unsuccessful", label: "Unsuccessful", cell: "Unsuccessful Completion" },
  { field: "evaluated_not_required", label: "Evaluated/Not Required", cell: "Evaluated/Not Required" },
  { field: "customers_with", label: "Customers with", cell: "with" },
  { field: "customers_without", label: "Customers without", cell: "without" },
] as const;

export const FILTER_FIELDS = ["program", "service_type", "grantee", "service_provider", "start_from", "start_to", "enrolment"] as const;
export type Filter = Partial<Record<(typeof FILTER_FIELDS)[number], string>>;

/** The filter as query parameters: blanks left out. */
export function filterParams(filter: Filter): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of FILTER_FIELDS) {
    const value = filter[name]?.trim();
    if (value) params[name] = value;
  }
  return params;
}

function current(row: CellRow, name: Editable): string {
  const value = row[name];
  return value === null || value === undefined ? "" : String(value);
}

/** The value shown in an editable cell: the edit if any, else the row's. */
export function shown(row: CellRow, edits: Edits, name: Editable): string {
  return edits[row.activity_id ?? ""]?.[name] ?? current(row, name);
}

/** The bulk save's rows: only rows with a change, each with only its changed fields and the version read. */
export function bulkRows(rows: CellRow[], edits: Edits): BulkRow[] {
  const changed: BulkRow[] = [];
  for (const row of rows) {
    if (!row.activity_id) continue;
    const edit = edits[row.activity_id] ?? {};
    const fields: Record<string, string | null> = {};
    for (const name of EDITABLE) {
      const value = edit[name];
      if (value === undefined || value === current(row, name)) continue;
      fields[name] = value === "" ? null : value;
    }
    if (Object.keys(fields).length) changed.push({ activity_id: row.activity_id, version: row.version ?? null, ...fields } as BulkRow);
  }
  return changed;
}

/** A CSV text as rows of cells (RFC 4180: quoted cells may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += char;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/** The import's result file as objects keyed by its header. */
export function resultRows(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return header ? rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""]))) : [];
}
