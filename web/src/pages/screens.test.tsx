import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { ApiError, apiError } from "../api/client";
import { App } from "../App";
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

test("an expired session goes back to sign-in and, signed in again, to the page it was on", async () => {
  sessionStorage.setItem(
    "isets.session",
    JSON.stringify({ token: "old", expiresAt: Date.now() + 60_000, me: { user_id: "statewide", role: "statewide", name: "Statewide Staff", locations: [], customer_id: null } }),
  );
  const answers: Record<string, [number, unknown]> = {
    "/api/customers/c-1/overview": [401, { detail: "token expired" }],
    "/auth/token": [200, { access_token: "new", token_type: "bearer", expires_in: 3600 }],
    "/auth/me": [200, { user_id: "statewide", role: "statewide", name: "Statewide Staff", locations: [], customer_id: null }],
  };
  vi.stubGlobal("fetch", vi.fn(async (input: RequestInfo | URL) => {
    const [status, body] = answers[new URL(input instanceof Request ? input.url : String(input), "http://localhost").pathname];
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  }));
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter initialEntries={["/customers/c-1"]}>
        <AuthProvider>
          <App />
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  expect(await screen.findByText("Your session has expired. Sign in again to continue.")).toBeInTheDocument();
  answers["/api/customers/c-1/overview"] = [404, { detail: [{ field: "customer_id", rule: "no customer c-1" }] }];
  await userEvent.type(screen.getByLabelText("User name"), "statewide");
  await userEvent.type(screen.getByLabelText("Password"), "demo-password");
  await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
  expect(await screen.findByRole("heading", { name: "Customer not found" })).toBeInTheDocument();
});
