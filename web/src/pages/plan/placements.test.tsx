import { render, screen } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter } from "react-router-dom";
import { DueItems, isOverdue } from "../../components/DueItems";
import { datesForStatus, followUpState, placementBody, placementChange } from "./placementForms";

afterEach(() => vi.unstubAllGlobals());

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

test("the add placement form sends the job as a number and leaves out empty fields", () => {
  const body = placementBody(form({ job_id: "7", start_date: "2022-08-08", hourly_wage: " 15.50 ", employer_wage_match: "" }));
  expect(body).toEqual({ job_id: 7, start_date: "2022-08-08", hourly_wage: "15.50" });
});

test("a placement change sends only what was filled in", () => {
  expect(placementChange(form({ status: "", inactive_date: "2022-08-20", return_date: "" }))).toEqual({ inactive_date: "2022-08-20" });
});

test("a follow-up offers Verify only once reached and not yet verified", () => {
  const base = { days: 30, due: "2022-09-07", verified_by: null, verified_on: null };
  expect(followUpState({ ...base, reached: false })).toEqual({ verifiable: false, text: "Not reached until 2022-09-07" });
  expect(followUpState({ ...base, reached: true }).verifiable).toBe(true);
  expect(followUpState({ ...base, reached: true, verified_by: "provider.a", verified_on: "2022-09-08" }).text).toBe("Verified on 2022-09-08 by provider.a");
});

test("a completion asks for the end date", () => {
  expect(datesForStatus("Successful Completion")).toBe("end_date");
  expect(datesForStatus("Started (Open)")).toBeNull();
});

test("due items are listed soonest first with overdue ones marked and the customer linked", async () => {
  const items = [
    { kind: "placement follow-up", customer_id: "c-1", customer_name: "Tom Juan", what: "30-day follow-up", due_date: "2022-09-07" },
    { kind: "plan agreement", customer_id: "c-2", customer_name: "Ann Lee", what: "the plan awaits the customer's agreement", due_date: "2999-01-01" },
  ];
  vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify(items), { status: 200, headers: { "Content-Type": "application/json" } })));
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter><DueItems location="LOC-A" /></MemoryRouter>
    </QueryClientProvider>,
  );
  expect(await screen.findByRole("link", { name: "Tom Juan" })).toHaveAttribute("href", "/customers/c-1");
  const rows = screen.getAllByRole("row").slice(1);
  expect(rows[0]).toHaveTextContent("2022-09-07 (overdue)");
  expect(rows[1]).not.toHaveTextContent("overdue");
  const asked = vi.mocked(fetch).mock.calls[0][0] as Request;
  expect(new URL(asked.url).search).toBe("?location=LOC-A");
  expect(isOverdue("2022-09-07", "2022-09-08")).toBe(true);
});
