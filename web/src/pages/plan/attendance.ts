// The logic of the attendance screens: a day's hours as casemgmt counts them (lunch subtracted, to the
// cent), the seven days of a Sunday-to-Saturday week, and a group row turned into the days it sends.

export type DayEntry = { day: string; check_in: string; lunch_start?: string | null; lunch_end?: string | null; check_out: string };

export const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function minutes(time: string): number {
  const [hours, mins] = time.split(":").map(Number);
  return hours * 60 + mins;
}

/** Hours of a day as "8.25", or null while the times are incomplete or out of order (casemgmt says why). */
export function dayHours(entry: Omit<DayEntry, "day">): string | null {
  if (!entry.check_in || !entry.check_out) return null;
  let worked = minutes(entry.check_out) - minutes(entry.check_in);
  if (entry.lunch_start && entry.lunch_end) worked -= minutes(entry.lunch_end) - minutes(entry.lunch_start);
  if (worked <= 0) return null;
  return (Math.round((worked / 60) * 100) / 100).toFixed(2);
}

/** The ISO dates of the week starting on Sunday `weekStart`. */
export function weekDays(weekStart: string): string[] {
  const first = new Date(`${weekStart}T00:00:00Z`);
  return WEEKDAYS.map((_, n) => new Date(first.getTime() + n * 86_400_000).toISOString().slice(0, 10));
}

/** The Sunday of the week holding `day` (ISO). */
export function sundayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return new Date(date.getTime() - date.getUTCDay() * 86_400_000).toISOString().slice(0, 10);
}

/** Only the days with a check-in and a check-out are sent; an empty lunch is sent as none. */
export function filledDays(rows: DayEntry[]): DayEntry[] {
  return rows
    .filter((row) => row.check_in && row.check_out)
    .map((row) => ({ ...row, lunch_start: row.lunch_start || null, lunch_end: row.lunch_end || null }));
}

export type GroupRow = { customer_id: string; check_in: string; lunch_start: string; lunch_end: string; check_out: string; attended: boolean[] };

/** A cohort member's row (one schedule, ticked days) as the days casemgmt saves. */
export function groupRowDays(row: GroupRow, weekStart: string): DayEntry[] {
  const days = weekDays(weekStart);
  return filledDays(
    row.attended.flatMap((ticked, n) =>
      ticked ? [{ day: days[n], check_in: row.check_in, lunch_start: row.lunch_start, lunch_end: row.lunch_end, check_out: row.check_out }] : [],
    ),
  );
}

/** "yyyy-mm" of a date. */
export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}
