import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter } from "react-router-dom";
import { CustomerServicesReport } from "./CustomerServicesReport";
import { bulkRows, filterParams, parseCsv, resultRows, type CellRow } from "./customerServices";

const ROW: CellRow = {
  customer_id: "c-1", customer_name: "Tom Juan", activity_id: "a-1", activity_code: "JST", status: "Planned/Not Started",
  start_date: "2026-11-09", planned_due: "2026-12-18", completion_date: null, weekly_hours: "0.00", version: "2026-11-20T10:00:00+00:00",
};

test("a bulk save sends only the changed rows, each with only its changed fields and the version read", () => {
  const other = { ...ROW, activity_id: "a-2", customer_id: "c-2" };
  const rows = bulkRows([ROW, other], { "a-1": { weekly_hours: "10", status: "Planned/Not Started" }, "a-2": { start_date: "2026-11-09" } });
  expect(rows).toEqual([{ activity_id: "a-1", version: ROW.version, weekly_hours: "10" }]);
  expect(bulkRows([ROW], { "a-1": { planned_due: "" } })).toEqual([{ activity_id: "a-1", version: ROW.version, planned_due: null }]);
});

test("the filter leaves blank fields out", () => {
  expect(filterParams({ program: "SNAP JP", grantee: " ", start_from: "2026-11-01" })).toEqual({ program: "SNAP JP", start_from: "2026-11-01" });
});

test("the import's result file is read with quoted cells", () => {
  expect(parseCsv('a,b\r\n"x, ""y""",2\r\n')).toEqual([["a", "b"], ['x, "y"', "2"]]);
  expect(resultRows("row,activity_id,outcome,field,reason\r\n2,a-1,refused,weekly_hours,\"Input should be a valid decimal\"\r\n")).toEqual([
    { row: "2", activity_id: "a-1", outcome: "refused", field: "weekly_hours", reason: "Input should be a valid decimal" },
  ]);
});

const MATRIX = {
  population: 2,
  rows: [{ activity_code: "JST", name: "Job Search Training", kind: "SNAP E&T activity", not_started: 1, started: 0, successful: 0, unsuccessful: 0, evaluated_not_required: 0, customers_with: 1, customers_without: 1 }],
};

function json(body: unknown) {
  return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
}

test("a cell's rows are edited and saved at once, each row's outcome shown inline and a refused edit kept", async () => {
  const sent: unknown[] = [];
  vi.stubGlobal("fetch", vi.fn(async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname.endsWith("/bulk")) {
      sent.push(await request.json());
      return json([{ row: 1, activity_id: "a-1", outcome: "refused", field: "planned_due", reason: "is before the planned start" }]);
    }
    if (url.pathname.endsWith("/cell")) return json({ items: [ROW], total: 1, page: 1, page_size: 50 });
    return json(MATRIX);
  }));
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter>
        <CustomerServicesReport />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  expect(await screen.findByTestId("report-population")).toHaveTextContent("2");
  await userEvent.click(screen.getByRole("button", { name: "JST Not Started: 1" }));
  const due = await screen.findByLabelText("Planned due of Tom Juan");
  await userEvent.clear(due);
  await userEvent.type(due, "2026-11-01");
  await userEvent.click(screen.getByRole("button", { name: "Save all" }));
  expect(await screen.findByTestId("result-a-1")).toHaveTextContent("Refused: planned_due is before the planned start");
  expect(screen.getByLabelText("Planned due of Tom Juan")).toHaveValue("2026-11-01"); // kept, to be corrected
  expect(sent).toEqual([{ rows: [{ activity_id: "a-1", version: ROW.version, planned_due: "2026-11-01" }] }]);
  expect(within(screen.getByRole("table", { name: "Results of the save" })).getByText("refused")).toBeInTheDocument();
  vi.unstubAllGlobals();
});
