import type { Me } from "./api/client";

// What each role may do, as intake's and ies_sync's policies decide it; the screens only hide what the
// services would refuse (they still check).
const EDITORS = ["statewide", "program_manager", "intermediary", "provider_partner", "provider_manager"];
const LOCATION_SCOPED = EDITORS.slice(1);

// intake has no list of locations yet: these are the ones the demo data and users know.
export const LOCATIONS = ["LOC-A", "LOC-B"];

export const can = {
  sendReferral: (me: Me) => EDITORS.includes(me.role),
  answerReferral: (me: Me, referredTo: string) =>
    EDITORS.includes(me.role) && (!LOCATION_SCOPED.includes(me.role) || me.locations.includes(referredTo)),
  resendReferral: (me: Me, referredFrom: string) =>
    EDITORS.includes(me.role) && (!LOCATION_SCOPED.includes(me.role) || me.locations.includes(referredFrom)),
  editCustomer: (me: Me) => EDITORS.includes(me.role),
  editEarnfare: (me: Me) => me.role === "idhs_admin",
  importIes: (me: Me) => ["statewide", "idhs_admin"].includes(me.role),
};

export const isLocationScoped = (me: Me) => LOCATION_SCOPED.includes(me.role);

/** Where a referral is sent from: the caller's own location, or for state staff the state office. */
export function referralSources(me: Me): string[] {
  return LOCATION_SCOPED.includes(me.role) ? me.locations : ["IDHS Statewide"];
}
