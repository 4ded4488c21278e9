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

async function until(page, condition, failure) {
  for (let attempt = 0; attempt < 40; attempt++) {
    if (await condition()) return;
    await page.waitForTimeout(250);
  }
  throw new Error(failure());
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

/** Reload until the customer's E&T status (Overview tab) reads `status`: intake applies casemgmt's events a moment later. */
async function waitForStatus(page, customerUrl, status) {
  await page.goto(customerUrl);
  await until(page, async () => {
    const shown = page.getByTestId("et-status");
    if ((await shown.count()) && (await shown.textContent()) === status) return true;
    await page.reload();
    await page.getByRole("heading", { name: "Overview", exact: true }).waitFor();
    return false;
  }, () => `the E&T status never became ${status}`);
}

async function planSection(page, name) {
  await page.getByRole("navigation", { name: "EP/Case Management" }).getByRole("link", { name }).click();
  await page.getByRole("heading", { name, level: 3 }).waitFor();
}

/** ISO date (YYYY-MM-DD) of a UTC day. */
function isoDay(year, month, day) {
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}

// The CW activity runs from the first of this month; its attendance week (Sunday to Saturday) is the one
// holding the 8th, so the whole week lies inside this month and the month sheet counts all of it.
const now = new Date();
const [thisYear, thisMonth] = [now.getUTCFullYear(), now.getUTCMonth()];
const sunday = 8 - new Date(Date.UTC(thisYear, thisMonth, 8)).getUTCDay();
const cw = {
  month: isoDay(thisYear, thisMonth, 1).slice(0, 7),
  plannedStart: isoDay(thisYear, thisMonth, 1),
  plannedDue: isoDay(thisYear, thisMonth + 6, 28),
  week: isoDay(thisYear, thisMonth, sunday),
  workdays: [1, 2, 3, 4, 5].map((offset) => isoDay(thisYear, thisMonth, sunday + offset)),
  placementStart: isoDay(thisYear, thisMonth, sunday + 1),
  followUps: [30, 60, 90, 180, 270].map((days) => isoDay(thisYear, thisMonth, sunday + 1 + days)),
};

async function addReferral(page, program = "SNAP JP") {
  await page.getByLabel("Refer to").selectOption("LOC-B");
  await page.getByLabel("Program", { exact: true }).selectOption(program);
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

  step("Provider Info: statewide adds a location and a program contract at LOC-B offering Job Search Training and Community Workfare");
  const suffix = Math.random().toString(36).slice(2, 8).toUpperCase();
  await page.getByRole("link", { name: "Provider Info" }).click();
  await page.getByRole("heading", { name: "Provider Info" }).waitFor();
  await page.getByLabel(/^Location code/).fill(`LOC-W${suffix}`);
  await page.getByLabel("Location name").fill(`Web office ${suffix}`);
  await page.getByLabel("County").fill("Sangamon");
  await page.getByRole("button", { name: "Add location" }).click();
  await page.getByRole("table", { name: /^Provider locations/ }).getByRole("cell", { name: `LOC-W${suffix}`, exact: true }).waitFor();
  await page.getByLabel("Location", { exact: true }).selectOption("LOC-B");
  await page.getByLabel("Contract number").fill(`ET-WEB-${suffix}`);
  await page.getByLabel("Program name").fill(`Web Job Search ${suffix}`);
  await page.getByLabel(/^Activities offered/).last().selectOption(["JST", "CW"]);
  await page.getByLabel("Schedule").last().fill("Mon-Fri 9-3");
  await page.getByRole("button", { name: "Add contract" }).click();
  await page.getByRole("heading", { name: new RegExp(`Web Job Search ${suffix} — ET-WEB-${suffix}`) }).waitFor();
  await check(page, "03b-provider-info");

  step("Employers: statewide registers an employer, a worksite and a job");
  const employerName = `Web Parks ${suffix}`;
  const jobTitle = `Park crew ${suffix}`;
  await page.getByRole("link", { name: "Employers" }).click();
  await page.getByRole("heading", { name: "Employers, worksites and jobs" }).waitFor();
  await page.getByLabel("Employer name").fill(employerName);
  await page.getByLabel("Contact name").fill("Sam Ranger");
  await page.getByRole("button", { name: "Register employer" }).click();
  await page.getByLabel("Employer", { exact: true }).selectOption({ label: employerName });
  await page.getByLabel("Worksite name").fill(`Lincoln Park ${suffix}`);
  await page.getByLabel("Street").fill("2 Park Ave");
  await page.getByLabel("City").fill("Springfield");
  await page.getByLabel("ZIP code").fill("62702");
  await page.getByLabel("County", { exact: true }).fill("Sangamon");
  await page.getByRole("button", { name: "Add worksite" }).click();
  await page.getByLabel("Worksite", { exact: true }).selectOption({ label: `Lincoln Park ${suffix}` });
  await page.getByLabel("Job title").fill(jobTitle);
  await page.getByLabel("Openings").fill("2");
  await page.getByLabel("Hourly wage").fill("16.00");
  await page.getByRole("button", { name: "Add job" }).click();
  await page.getByRole("table", { name: "Jobs" }).getByRole("row", { name: new RegExp(jobTitle) }).waitFor();
  await check(page, "03c-employers");

  step("statewide finds the imported customer and refers them to LOC-B");
  await page.getByRole("link", { name: "Customers" }).click();
  await check(page, "04-customer-list");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
  if (!download.suggestedFilename().endsWith(".csv")) throw new Error(`export saved as ${download.suggestedFilename()}`);
  const customerUrl = await openCustomer(page, lastName);
  await addReferral(page, "Earnfare");
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

  step("EP/Case Management: the enrolment goal is there; a Job Search Training activity under it, started: Active");
  await page.getByRole("link", { name: "EP/Case Management" }).click();
  await page.getByRole("heading", { name: "EP/Case Management" }).waitFor();
  await until(page, async () => {
    if (await page.getByRole("table", { name: /^Goal: Complete the program/ }).count()) return true;
    await page.reload();
    await page.getByRole("heading", { name: "EP/Case Management" }).waitFor();
    return false;
  }, () => "casemgmt never pre-populated the goal 'Complete the program'");
  await check(page, "12-plan-overview");
  await planSection(page, "Review Assessments");
  await check(page, "13-plan-assessments");
  await planSection(page, "Set Goals");
  await page.getByRole("cell", { name: "Complete the program", exact: true }).waitFor();
  await check(page, "14-plan-goals");
  await planSection(page, "Add Activities/Services");
  await page.getByLabel(/^Activity or service/).selectOption("JST@LOC-B");
  await page.getByRole("button", { name: "Choose activity" }).click();
  await page.getByLabel("Goal", { exact: true }).selectOption({ label: "Complete the program" });
  await page.getByLabel("Planned due", { exact: true }).fill("2027-06-30");
  await page.getByLabel("Hours per week", { exact: true }).fill("20");
  await page.getByRole("button", { name: "Add activity" }).click();
  await page.getByTestId("JST-status").filter({ hasText: "Planned/Not Started" }).waitFor();
  await check(page, "15-plan-activities");
  await page.getByLabel("Status of JST").selectOption("Started/Open");
  await page.getByRole("button", { name: "Save JST" }).click();
  await page.getByTestId("JST-status").filter({ hasText: "Started/Open" }).waitFor();
  await waitForStatus(page, customerUrl, "Active");

  step("the activity completed with its completion date: Inactive");
  await page.getByRole("link", { name: "EP/Case Management" }).click();
  await planSection(page, "Add Activities/Services");
  await page.getByLabel("Status of JST").selectOption("Successful Completion");
  await page.getByLabel(/^Actual completion of JST/).fill(new Date().toISOString().slice(0, 10));
  await page.getByRole("button", { name: "Save JST" }).click();
  await page.getByTestId("JST-status").filter({ hasText: "Successful Completion" }).waitFor();
  await waitForStatus(page, customerUrl, "Inactive");

  step("a case note, then the Update Log lists the plan's changes");
  await page.getByRole("link", { name: "EP/Case Management" }).click();
  await planSection(page, "Case Notes");
  await page.getByLabel("Subject").fill("Finished job search training");
  await page.getByLabel("Message").fill("Completed the JST workshop series.");
  await page.getByLabel("Category", { exact: true }).selectOption("Change in Activity");
  await page.getByRole("button", { name: "Add case note" }).click();
  await page.getByRole("heading", { name: "Finished job search training" }).waitFor();
  await check(page, "16-plan-case-notes");
  await planSection(page, "Update Log");
  await page.getByRole("cell", { name: /activity added: JST/ }).waitFor();
  await page.getByRole("cell", { name: /activity JST changed: .*status/ }).first().waitFor();
  await check(page, "17-plan-update-log");

  step("a Community Workfare activity from the first of the month, started: Active again");
  await planSection(page, "Add Activities/Services");
  await page.getByLabel(/^Activity or service/).selectOption("CW@LOC-B");
  await page.getByRole("button", { name: "Choose activity" }).click();
  await page.getByLabel("Goal", { exact: true }).selectOption({ label: "Complete the program" });
  await page.getByLabel("Planned start", { exact: true }).fill(cw.plannedStart);
  await page.getByLabel("Planned due", { exact: true }).fill(cw.plannedDue);
  await page.getByLabel("Hours per week", { exact: true }).fill("20");
  await page.getByRole("button", { name: "Add activity" }).click();
  await page.getByTestId("CW-status").filter({ hasText: "Planned/Not Started" }).waitFor();
  await page.getByLabel("Status of CW").selectOption("Started/Open");
  await page.getByRole("button", { name: "Save CW" }).click();
  await page.getByTestId("CW-status").filter({ hasText: "Started/Open" }).waitFor();
  await waitForStatus(page, customerUrl, "Active");

  step("Worksite placements: the customer is placed at the job; the follow-ups fall 30 to 270 days after the start");
  await page.getByRole("link", { name: "Worksite placements" }).click();
  const workfare = page.locator("section").filter({ has: page.getByRole("heading", { name: "Community Workfare (Started/Open)", level: 2 }) });
  const job = await workfare.getByLabel("Job", { exact: true }).locator("option", { hasText: jobTitle }).getAttribute("value");
  await workfare.getByLabel("Job", { exact: true }).selectOption(job);
  await workfare.getByLabel("Position type").selectOption("Part-time");
  await workfare.getByLabel("Start date").fill(cw.placementStart);
  await workfare.getByTestId("minimum-wage").filter({ hasText: "$15.00" }).waitFor();
  await workfare.getByLabel("Planned due date").fill(cw.plannedDue);
  await workfare.getByLabel("Hourly wage").fill("16.00");
  await workfare.getByLabel("Subsidised wage / training-wage match").fill("8.00");
  await workfare.getByLabel("Status", { exact: true }).selectOption("Started (Open)");
  await workfare.getByRole("button", { name: "Add placement" }).click();
  const followUps = workfare.getByRole("table", { name: "Follow-ups" });
  for (const due of cw.followUps) await followUps.getByRole("cell", { name: due, exact: true }).waitFor();
  await workfare.getByLabel("Job", { exact: true }).locator("option", { hasText: `${jobTitle} — ` }).filter({ hasText: "(1 open)" }).waitFor({ state: "attached" });
  await check(page, "18-placements");
  await page.getByRole("link", { name: "Employers" }).click();
  // Job, employer, worksite, county, openings, openings filled: the started placement took one of the two.
  const jobRow = page.getByRole("table", { name: "Jobs" }).getByRole("row", { name: new RegExp(jobTitle) });
  await until(page, async () => (await jobRow.getByRole("cell").allTextContents()).slice(4).join("|") === "2|1",
    () => "the job does not show 1 of its 2 openings filled");
  await page.goBack();

  step("Attendance: a week of the CW activity entered, submitted and verified; the totals show it");
  await page.getByRole("link", { name: "Back to the customer" }).click();
  await page.getByRole("link", { name: "Attendance", exact: true }).click();
  const cwOption = await page.getByLabel("Activity", { exact: true }).locator("option", { hasText: "Community Workfare" }).getAttribute("value");
  await page.getByLabel("Activity", { exact: true }).selectOption(cwOption);
  await page.getByRole("button", { name: `Week of ${cw.week}` }).click();
  for (const day of cw.workdays) {
    await page.getByLabel(`check in ${day}`).fill("09:00");
    await page.getByLabel(`lunch start ${day}`).fill("12:00");
    await page.getByLabel(`lunch end ${day}`).fill("12:30");
    await page.getByLabel(`check out ${day}`).fill("17:00");
  }
  await page.getByRole("button", { name: "Submit and Verify" }).click();
  await page.getByTestId("attendance-totals").filter({ hasText: /Hours attended 37\.50? · hours verified 37\.50?$/ }).waitFor();
  await check(page, "19-attendance");

  step("Customer Services Report at LOC-B: the CW Started cell, the customer's weekly hours changed and saved");
  await page.getByRole("link", { name: "Customer Services Report" }).click();
  await page.getByLabel("Service provider (location id)").fill("LOC-B");
  await page.getByLabel("Program", { exact: true }).selectOption("Earnfare");
  await page.getByRole("button", { name: "Show report" }).click();
  await page.getByRole("button", { name: /^CW Started: [1-9]\d*$/ }).click();
  const weeklyHours = page.getByRole("textbox", { name: new RegExp(`^Weekly hours of .*${lastName}`) });
  await weeklyHours.fill("25");
  const activityId = (await weeklyHours.getAttribute("id")).replace(/^weekly_hours-/, "");
  await page.getByRole("button", { name: "Save all" }).click();
  await page.getByTestId(`result-${activityId}`).filter({ hasText: "Saved" }).waitFor();
  await check(page, "20-customer-services-report");

  step("the customer is in provider.b's list; their plan awaiting agreement and due needs assessment are in provider.b's due items");
  await page.getByRole("link", { name: "Customers" }).click();
  const dueItems = page.getByRole("table", { name: "Due items" }).getByRole("row").filter({ hasText: lastName });
  await dueItems.filter({ hasText: "the plan awaits the customer's agreement" }).first().waitFor();
  await dueItems.filter({ hasText: "needs assessment" }).first().waitFor();
  await check(page, "04c-due-items");
  await openCustomer(page, lastName);

  step("Integrated Resource Team: a warning while there is none, add a contact, remove it");
  const noTeam = page.getByText(/^No Integrated Resource Team contact yet/).first();
  await noTeam.waitFor();
  await page.getByLabel("Contact name").fill("Grace Hopper");
  await page.getByLabel("Contact e-mail").fill("grace@example.org");
  await page.getByRole("button", { name: "Add contact" }).click();
  await page.getByText("Grace Hopper (grace@example.org)").waitFor();
  await noTeam.waitFor({ state: "detached" });
  await check(page, "06b-resource-team");
  await page.getByRole("button", { name: "Remove Grace Hopper" }).click();
  await noTeam.waitFor();

  step("provider staff are not offered the Earnfare benefit edit");
  await page.getByRole("button", { name: "Earnfare", exact: true }).click();
  await page.getByRole("table", { name: "Earnfare benefit history" }).waitFor();
  if (await page.getByRole("button", { name: "Set benefit" }).count()) throw new Error("provider.b is offered the benefit edit");
  await signOut(page);

  step("an IDHS admin sets the Earnfare benefit; 'Sync with IES' opens the sync form for this person");
  await page.goto(customerUrl);
  await signIn(page, "idhs.admin", "/customers/");
  await page.getByRole("button", { name: "Earnfare", exact: true }).click();
  await page.getByLabel("Benefit amount ($)").fill("209.99");
  await page.getByRole("button", { name: "Set benefit" }).click();
  await page.getByRole("table", { name: "Earnfare benefit history" }).getByRole("cell", { name: "209.99" }).waitFor();
  await check(page, "06c-earnfare-admin");
  const individualNumber = (await page.getByTestId("key-ids").textContent()).match(/Individual number (\d+)/)[1];
  await page.getByRole("link", { name: "Sync with IES" }).click();
  await page.waitForURL((url) => url.pathname === "/imports");
  if ((await page.getByLabel("IDHS individual number").inputValue()) !== individualNumber)
    throw new Error("the sync form is not pre-filled with the customer's individual number");

  step("the Earnfare month sheet of the attendance month: the verified CW hours against the benefit's monthly hours");
  await page.goto(customerUrl);
  await page.getByRole("link", { name: "Earnfare month sheet" }).click();
  await page.getByLabel("Month").fill(cw.month);
  // casemgmt learns the benefit from intake's event a moment later: reload until the target is there.
  const workfareHours = () => page.getByRole("row", { name: /^Community Workfare hours/ }).getByRole("cell");
  await until(page, async () => {
    const shown = await workfareHours().textContent().catch(() => "");
    if (/^37\.50? of [1-9]\d*$/.test(shown)) return true;
    await page.reload();
    await page.getByLabel("Month").fill(cw.month);
    await page.waitForLoadState("networkidle");
    return false;
  }, () => "the Earnfare month sheet never showed the verified CW hours against the benefit's monthly hours");
  await page.getByRole("row", { name: /^Benefit amount/ }).getByRole("cell", { name: "209.99" }).waitFor();
  await check(page, "21-earnfare-sheet");
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

  step("the list sorts both ways and filters by program and SNAP eligibility");
  // The customers' table, not the due items above it.
  const names = async () => page.locator("table.isets-table-wide tbody td:first-child").allTextContents();
  await page.getByLabel("Name", { exact: true }).fill("Web");
  await page.getByLabel("Sort by").selectOption("last_name");
  await page.getByLabel("Order").selectOption("desc");
  await page.getByRole("button", { name: "Search" }).click();
  // The previous page stays on screen until the new one arrives: wait for the order asked for.
  let descending = [];
  await until(page, async () => {
    descending = await names();
    return descending.length >= 2 && descending.join("|") === [...descending].sort().reverse().join("|");
  }, () => `not in descending order: ${descending}`);
  await page.getByLabel("Order").selectOption("asc");
  await page.getByRole("button", { name: "Search" }).click();
  let ascending = [];
  await until(page, async () => {
    ascending = await names();
    return ascending[0] !== descending[0] && ascending.join("|") === [...ascending].sort().join("|");
  }, () => `not in ascending order: ${ascending}`);
  await page.getByLabel("Name", { exact: true }).fill(lastName);
  await page.getByLabel("Program", { exact: true }).selectOption("Earnfare");
  await page.getByLabel("SNAP eligibility").selectOption("Yes");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByText(/^1 customers/).waitFor();
  if (!(await names())[0].startsWith(lastName)) throw new Error("the Earnfare, SNAP-eligible filter misses the customer");
  await check(page, "04b-customer-list-filtered");
  await page.getByLabel("SNAP eligibility").selectOption("No");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByText(/^0 customers/).waitFor();
  await page.getByLabel("SNAP eligibility").selectOption("");
  await page.getByLabel("Program", { exact: true }).selectOption("SNAP to Success");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByText(/^0 customers/).waitFor();

  step("phone width: the list collapses to cards, the customer's menu to a header with a Details toggle");
  await page.setViewportSize({ width: 375, height: 800 });
  await page.getByRole("link", { name: "Customers" }).click();
  await page.getByRole("list", { name: "Customers" }).waitFor();
  await check(page, "10-phone-list");
  await openCustomer(page, lastName);
  await page.getByTestId("key-ids").waitFor();
  const dateOfBirth = page.getByText("Date of birth", { exact: false }).first();
  if (await dateOfBirth.isVisible()) throw new Error("the whole left menu shows at phone width");
  await check(page, "11-phone-customer");
  await page.getByRole("button", { name: "Details" }).click();
  await dateOfBirth.waitFor();
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
