import type { Me } from "./api/client";

// What each role may do, as intake's, ies_sync's and casemgmt's policies decide it; the screens only hide
// what the services would refuse (they still check).
const EDITORS = ["statewide", "program_manager", "intermediary", "provider_partner", "provider_manager"];
const LOCATION_SCOPED = EDITORS.slice(1);

export const can = {
  sendReferral: (me: Me) => EDITORS.includes(me.role),
  answerReferral: (me: Me, referredTo: string) =>
    EDITORS.includes(me.role) && (!LOCATION_SCOPED.includes(me.role) || me.locations.includes(referredTo)),
  resendReferral: (me: Me, referredFrom: string) =>
    EDITORS.includes(me.role) && (!LOCATION_SCOPED.includes(me.role) || me.locations.includes(referredFrom)),
  editCustomer: (me: Me) => EDITORS.includes(me.role),
  editEarnfare: (me: Me) => me.role === "idhs_admin",
  importIes: (me: Me) => ["statewide", "idhs_admin"].includes(me.role),
  /** Goals, activities, assessments, case notes: staff of the customer's locations and statewide staff. */
  editPlan: (me: Me) => EDITORS.includes(me.role),
  /** Only the customer agrees to their plan; staff record that they could not be reached or upload a signed copy. */
  agreeToPlan: (me: Me) => me.role === "customer",
  recordAgreement: (me: Me) => EDITORS.includes(me.role),
  /** Providers, locations and new program contracts are statewide staff's. */
  maintainProviders: (me: Me) => me.role === "statewide",
  /** A provider's program manager changes the schedule, skills, interests and activities of their own locations' contracts. */
  editContract: (me: Me, locationId: string) =>
    me.role === "statewide" || (me.role === "program_manager" && me.locations.includes(locationId)),
  /** Which contract fields a role may change (program managers: not the contract's terms). */
  contractFields: (me: Me): readonly string[] =>
    me.role === "statewide"
      ? ["contract_number", "fiscal_year", "program_name", "offering", "activities_offered", "schedule", "skills", "interests"]
      : ["activities_offered", "schedule", "skills", "interests"],
};

export const isLocationScoped = (me: Me) => LOCATION_SCOPED.includes(me.role);

/** Where a referral is sent from: the caller's own location, or for state staff the state office. */
export function referralSources(me: Me): string[] {
  return LOCATION_SCOPED.includes(me.role) ? me.locations : ["IDHS Statewide"];
}
