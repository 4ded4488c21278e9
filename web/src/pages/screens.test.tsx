import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { ApiError, apiError } from "../api/client";
import { AuthProvider } from "../auth";
import { CustomerPage } from "./CustomerPage";
import { ChangeProblem } from "./Referrals";

function answering(status: number, body: unknown) {
  vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } })));
}

afterEach(() => vi.unstubAllGlobals());

test("a stale version asks to reload instead of failing silently", async () => {
  const reload = vi.fn();
  render(<ChangeProblem error={new ApiError(409, [{ field: "version", rule: "changed since read" }])} reload={reload} />);
  expect(screen.getByRole("alert")).toHaveTextContent("changed by someone else — reload");
  await userEvent.click(screen.getByRole("button", { name: "Reload" }));
  expect(reload).toHaveBeenCalledOnce();
});

test("a refusal names the field it concerns", () => {
  const error = apiError(422, { detail: [{ field: "reason", rule: "contains a control character" }] });
  render(<ChangeProblem error={error} reload={() => {}} />);
  expect(screen.getByRole("alert")).toHaveTextContent("reason: contains a control character");
});

test("a customer the caller may not see shows not found", async () => {
  answering(404, { detail: [{ field: "customer_id", rule: "no customer c-1" }] });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter initialEntries={["/customers/c-1"]}>
        <AuthProvider>
          <Routes>
            <Route path="/customers/:customerId" element={<CustomerPage />} />
          </Routes>
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  expect(await screen.findByRole("heading", { name: "Customer not found" })).toBeInTheDocument();
  expect(vi.mocked(fetch)).toHaveBeenCalledOnce();
});
