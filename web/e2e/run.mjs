// End-to-end: the staff screens in Debian's Chromium (playwright-core, no browser download) against a
// running gateway serving the built app. Usage: node e2e/run.mjs <gateway url> <extract.csv> <artifacts dir>
// The extract holds customers with the last names below and one row IES would never send (a full SSN).
// Exits non-zero on the first failed step; axe-core runs on every page (0 serious or critical allowed).
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [baseUrl, extract, artifacts, lastName, secondLastName] = process.argv.slice(2);
const PASSWORD = "demo-password";
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const accessibility = [];
mkdirSync(artifacts, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic"],
});

function step(name) {
  console.log(`step: ${name}`);
}

async function check(page, name) {
  // The page has settled: no request of the app in flight.
  await page.waitForLoadState("networkidle");
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const serious = result.violations.filter((v) => ["serious", "critical"].includes(v.impact));
  accessibility.push({ page: name, violations: result.violations.map((v) => `${v.impact} ${v.id}`), serious: serious.length });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  if (serious.length) throw new Error(`${name}: axe found ${serious.map((v) => `${v.id} (${v.nodes.length})`).join(", ")}`);
}

async function signIn(page, username, expectPath) {
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname.startsWith(expectPath));
  await page.getByText(/Statewide Staff|Provider Partner|IDHS Admin|Provider Manager/).first().waitFor();
}

async function signOut(page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "ISETS sign in" }).waitFor();
}

async function openCustomer(page, name) {
  // intake applies the import's events a moment after the run: search until the customer is there.
  for (let attempt = 0; attempt < 60; attempt++) {
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForLoadState("networkidle");
    const link = page.getByRole("link", { name: new RegExp(name) });
    if (await link.count()) {
      await link.first().click();
      await page.getByRole("heading", { name: "Overview" }).waitFor();
      return page.url();
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`customer ${name} never appeared in the list`);
}

async function expandReferral(page, number) {
  const toggle = page.getByRole("button", { name: `Referral ${number}`, exact: true });
  if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
}

async function addReferral(page) {
  await page.getByLabel("Refer to").selectOption("LOC-B");
  await page.getByRole("button", { name: "Add referral" }).click();
  await page.getByTestId("et-status").filter({ hasText: "Pending Referral Approval" }).waitFor();
}

let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  step("a deep link before signing in goes to sign-in and comes back after it");
  await page.goto(`${baseUrl}/imports`);
  await page.getByRole("heading", { name: "ISETS sign in" }).waitFor();
  await check(page, "01-sign-in");
  await signIn(page, "statewide", "/imports");

  step("IES import: upload with progress, the run's counts and its quarantined row with its reason");
  await page.getByLabel("IES extract (CSV)").setInputFiles(extract);
  await page.getByRole("button", { name: "Upload extract" }).click();
  await page.getByText(/Import run \d+ started/).waitFor();
  await check(page, "02-imports");
  await page.getByText(/Import run \d+ started/).getByRole("link").click();
  await page.getByTestId("run-status").filter({ hasText: "completed" }).waitFor({ timeout: 30000 });
  await page.getByRole("cell", { name: /ssn_last4/ }).waitFor();
  await check(page, "03-import-run");

  step("statewide finds the imported customer and refers them to LOC-B");
  await page.getByRole("link", { name: "Customers" }).click();
  await check(page, "04-customer-list");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
  if (!download.suggestedFilename().endsWith(".csv")) throw new Error(`export saved as ${download.suggestedFilename()}`);
  const customerUrl = await openCustomer(page, lastName);
  await addReferral(page);
  await expandReferral(page, 1);
  await check(page, "05-customer-page");

  step("the printed form opens as a PDF");
  const [form] = await Promise.all([
    page.waitForResponse((r) => r.url().includes("/records/1/form?format=pdf")),
    page.getByRole("button", { name: "Print 1.1" }).click(),
  ]);
  if (form.status() !== 200 || !form.headers()["content-type"].startsWith("application/pdf"))
    throw new Error(`the referral form answered ${form.status()} ${form.headers()["content-type"]}`);
  await signOut(page);

  step("provider.b opens the customer's page (remembered through sign-in) and accepts");
  await page.goto(customerUrl);
  await signIn(page, "provider.b", "/customers/");
  await page.getByRole("button", { name: "Accept referral 1" }).click();
  await page.getByTestId("et-status").filter({ hasText: "Pending Activity Start Date" }).waitFor();
  await check(page, "06-accepted");

  step("the customer is in provider.b's list");
  await page.getByRole("link", { name: "Customers" }).click();
  await openCustomer(page, lastName);
  await signOut(page);

  step("provider.a opening the same address sees not found");
  await page.goto(customerUrl);
  await signIn(page, "provider.a", "/customers/");
  await page.getByRole("heading", { name: "Customer not found" }).waitFor();
  await check(page, "08-not-found");
  await signOut(page);

  step("reject with a reason; a stale accept asks for a reload; resend");
  await page.goto(`${baseUrl}/customers`);
  await signIn(page, "statewide", "/customers");
  const secondUrl = await openCustomer(page, secondLastName);
  await addReferral(page);
  // A second tab (its own session) left open on the pending referral: its version goes stale below.
  const stale = await context.newPage();
  await stale.goto(secondUrl);
  await signIn(stale, "statewide", "/customers/");
  await stale.getByRole("button", { name: "Accept referral 1" }).waitFor();
  await signOut(page);
  await page.goto(secondUrl);
  await signIn(page, "provider.b", "/customers/");
  await page.getByLabel("Reason for rejecting").fill("no capacity this month");
  await page.getByRole("button", { name: "Reject referral 1" }).click();
  await page.getByText("Referral 1 rejected.").waitFor(); // back to its list: LOC-B no longer sees the customer
  await signOut(page);
  await stale.getByRole("button", { name: "Accept referral 1" }).click();
  await stale.getByText("changed by someone else — reload").waitFor();
  await check(stale, "07-stale-accept");
  await stale.getByRole("button", { name: "Reload" }).click();
  await stale.getByTestId("referral-1-response").filter({ hasText: "Rejected" }).waitFor();
  await stale.getByRole("button", { name: "Resend referral 1" }).click();
  await stale.getByTestId("referral-1-response").filter({ hasText: "Pending" }).waitFor();
  await expandReferral(stale, 1);
  await stale.getByText("no capacity this month").first().waitFor();
  await stale.getByText("(Historical Reference)").first().waitFor();
  await check(stale, "09-resent");
  await stale.close();
  await page.goto(`${baseUrl}/customers`);
  await signIn(page, "statewide", "/customers");

  step("phone width: the list collapses to cards");
  await page.setViewportSize({ width: 375, height: 800 });
  await page.getByRole("link", { name: "Customers" }).click();
  await page.getByRole("list", { name: "Customers" }).waitFor();
  await check(page, "10-phone-list");
  await context.close();
} catch (error) {
  failed = true;
  console.error(`FAILED: ${error.stack ?? error}`);
} finally {
  writeFileSync(join(artifacts, "axe.json"), JSON.stringify(accessibility, null, 2));
  for (const entry of accessibility) console.log(`axe ${entry.page}: ${entry.serious} serious/critical; ${entry.violations.join(", ") || "no violations"}`);
  await browser.close();
}
process.exit(failed ? 1 : 0);
