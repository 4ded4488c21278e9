import { dayHours, filledDays, groupRowDays, sundayOf, weekDays } from "./attendance";

test("a day 08:00 in, 12:00-12:30 lunch, 16:45 out is 8.25 hours", () => {
  expect(dayHours({ check_in: "08:00", lunch_start: "12:00", lunch_end: "12:30", check_out: "16:45" })).toBe("8.25");
  expect(dayHours({ check_in: "08:00", check_out: "15:45" })).toBe("7.75");
});

test("a day out of order or incomplete has no hours yet", () => {
  expect(dayHours({ check_in: "12:00", check_out: "08:00" })).toBeNull();
  expect(dayHours({ check_in: "08:00", check_out: "" })).toBeNull();
});

test("a week runs Sunday to Saturday, across a month end too", () => {
  expect(weekDays("2026-08-30")).toEqual(["2026-08-30", "2026-08-31", "2026-09-01", "2026-09-02", "2026-09-03", "2026-09-04", "2026-09-05"]);
  expect(sundayOf("2026-09-02")).toBe("2026-08-30");
  expect(sundayOf("2026-08-30")).toBe("2026-08-30");
});

test("only filled days are sent, an empty lunch as none", () => {
  expect(filledDays([{ day: "2026-09-07", check_in: "08:00", lunch_start: "", lunch_end: "", check_out: "16:00" }, { day: "2026-09-08", check_in: "", check_out: "" }])).toEqual([
    { day: "2026-09-07", check_in: "08:00", lunch_start: null, lunch_end: null, check_out: "16:00" },
  ]);
});

test("a group row sends its schedule on the ticked days", () => {
  const row = { customer_id: "c-1", check_in: "08:00", lunch_start: "", lunch_end: "", check_out: "16:00", attended: [false, true, false, true, false, false, false] };
  expect(groupRowDays(row, "2026-09-06").map((d) => d.day)).toEqual(["2026-09-07", "2026-09-09"]);
});
