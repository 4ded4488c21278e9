"""The customer record (DOMAIN.md §1–§3): IES-mastered identity, staff-kept profile and status section,
referrals, enrollments with provider locations, and the E&T status derived from all of it.

Plain Python; the ORM maps these classes from the outside (adapters/orm.py).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from isets_contracts import Event
from isets_contracts.events import (
    ActivityStatusChanged,
    AssessmentRecorded,
    CustomerEnrolled,
    CustomerExited,
    CustomerRegistered,
    EarnfareBenefitChanged,
    EtStatusChanged,
    IesPerson,
    LevelOfProgressChanged,
    ProfileChanged,
    ReferralAccepted,
    ReferralRejected,
    ReferralSent,
    ResourceTeamChanged,
)
from isets_contracts.reference import (
    ACTIVITY_CATALOGUE,
    ActivityCode,
    ActivityKind,
    ActivityStatus,
    AssessmentType,
    EtStatus,
    ExitCompletionStatus,
    LevelOfProgress,
    Program,
    SnapEligibility,
)
from isets_kit.errors import Conflict, NotFound, RuleViolation
from intake.domain.earnfare import minimum_wage_on, monthly_benefit_hours
from intake.domain.et_status import STAFF_SET_STATUSES, Enrollment, StatusFacts, derive_status
from intake.domain.referral import Referral, ReferralRecord, Response

# IES masters these; staff may not edit them (SNAP case number excepted).
IES_FIELDS = (
    "snap_case_number", "first_name", "last_name", "date_of_birth", "ssn_last4", "email", "phone",
    "address_line1", "address_line2", "city", "state", "zip", "county", "dhs_office", "snap_eligibility",
    "redetermination_date", "midpoint_date",
)
STAFF_EDITABLE_FIELDS = (
    "snap_case_number", "worknet_username", "worknet_id", "initial_assessment_date", "needs_assessment_date",
)
TRAINING_CODES = frozenset(
    {
        ActivityCode.BASIC_EDUCATION,
        ActivityCode.ENGLISH_LANGUAGE_ACQUISITION,
        ActivityCode.VOCATIONAL_TRAINING,
        ActivityCode.WORK_READINESS_TRAINING,
        ActivityCode.JOB_SEARCH_TRAINING,
        ActivityCode.ON_THE_JOB_TRAINING,
    }
)
ASSESSMENT_VALID_FOR = timedelta(days=365)
# The profile's date each universal assessment recorded in casemgmt sets.
ASSESSMENT_DATES = {AssessmentType.INITIAL_UNIVERSAL: "initial_assessment_date", AssessmentType.NEEDS: "needs_assessment_date"}
NEEDS_ASSESSMENT_WITHIN = timedelta(days=30)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class StatusChange:
    status: EtStatus
    effective_date: date
    cause: str
    actor: str | None
    recorded_at: datetime


@dataclass
class EligibilityChange:
    status: SnapEligibility
    as_of: datetime


@dataclass
class ProviderEnrollment:
    """The customer's stay with one provider location, from an accepted referral until that provider exits them."""

    location: str
    program: Program
    enrolled_on: date
    referral_number: int
    had_open_activity: bool = False
    exited_on: date | None = None
    completion_status: ExitCompletionStatus | None = None
    retention_tracked: bool = False


@dataclass
class OpenActivity:
    activity_id: str
    code: ActivityCode
    location: str
    start_date: date | None


@dataclass
class ResourceContact:
    name: str
    email: str
    added_by: str
    added_at: datetime
    removed_at: datetime | None = None


@dataclass
class BenefitChange:
    amount: Decimal
    effective_date: date
    set_by: str
    monthly_benefit_hours: int
    recorded_at: datetime


IES_MATCHED_CAUSE = "IES record matched by individual number"


@dataclass(frozen=True)
class IesRegistration:
    """A customer created from an IES record, as plain values: its columns, its first eligibility and status
    history entries, and the events announcing it (the aggregate, and intake's batch of IES events, use it)."""

    values: dict
    eligibility: dict
    status: dict
    events: list[Event]


def ies_registration(customer_id: str, person: IesPerson, now: datetime) -> IesRegistration:
    """Rule: an IES record matched by individual number creates the customer in status IES Matched."""
    today = now.date()
    values = {
        "id": customer_id,
        "individual_number": person.individual_number,
        "ies_snap_case_number": person.snap_case_number,
        "ies_as_of": person.as_of,
        **{name: getattr(person, name) for name in IES_FIELDS},
        "et_status": EtStatus.IES_MATCHED,
        "et_status_date": today,
    }
    return IesRegistration(
        values,
        {"status": person.snap_eligibility, "as_of": person.as_of},
        {"status": EtStatus.IES_MATCHED, "effective_date": today, "cause": IES_MATCHED_CAUSE, "actor": None, "recorded_at": now},
        [
            CustomerRegistered(
                customer_id=customer_id, individual_number=person.individual_number,
                first_name=person.first_name, last_name=person.last_name, county=person.county,
            ),
            EtStatusChanged(
                customer_id=customer_id, status=EtStatus.IES_MATCHED, previous_status=None, effective_date=today,
                cause=IES_MATCHED_CAUSE,
            ),
        ],
    )


def take_ies_values(record, person: IesPerson) -> list[str]:
    """Rule: a customer record (the aggregate, or any object with its IES attributes) takes IES's current
    values; returns the fields that changed. A version older than the one already applied changes nothing
    (IES data arriving out of order)."""
    if person.as_of < record.ies_as_of:
        return []
    changed = [
        name for name in IES_FIELDS if name != "snap_case_number" and getattr(record, name) != getattr(person, name)
    ]
    for name in changed:
        setattr(record, name, getattr(person, name))
    if person.snap_case_number != record.ies_snap_case_number:
        # IES is the master: its new case number replaces whatever staff typed.
        record.ies_snap_case_number = record.snap_case_number = person.snap_case_number
        changed.append("snap_case_number")
    record.ies_as_of = max(record.ies_as_of, person.as_of)
    if changed:
        record.version += 1
    return changed


def ies_profile_changed(customer_id: str, changed: list[str]) -> ProfileChanged:
    return ProfileChanged(customer_id=customer_id, changed_fields=changed, cause="IES sync")


# --- rules the aggregate and the profile read (views.py, on plain rows) share ----------------------------
def current_locations(enrollments) -> list[str]:
    """The locations the customer is assigned to: an enrollment there has no exit."""
    return [e.location for e in enrollments if e.exited_on is None]


def program_enrollment(enrollments) -> list[Program]:
    return sorted({e.program for e in enrollments if e.exited_on is None})


def active_resource_team(resource_team) -> list:
    return [c for c in resource_team if c.removed_at is None]


def latest_monthly_benefit_hours(benefit_history) -> int | None:
    if not benefit_history:
        return None
    return max(benefit_history, key=lambda c: (c.effective_date, c.recorded_at)).monthly_benefit_hours


def profile_warnings(snap_case_number: str, ies_snap_case_number: str, locations: list[str], active_team: list) -> list[str]:
    """What staff should fix, shown on the profile (no rule refuses these)."""
    warnings = []
    if snap_case_number != ies_snap_case_number:
        warnings.append(f"SNAP case number {snap_case_number} differs from IES ({ies_snap_case_number})")
    if locations and not active_team:
        warnings.append("no Integrated Resource Team contact yet: at least one is expected")
    return warnings


def initial_assessment_update_due(initial_assessment_date: date | None, today: date) -> bool:
    """Rule: the initial assessment must be redone yearly."""
    return initial_assessment_date is not None and today >= initial_assessment_date + ASSESSMENT_VALID_FOR


def needs_assessment_due_by(needs_assessment_date: date | None, first_activity_start: date | None) -> date | None:
    """Rule: the needs assessment is due within 30 days of the first activity start, then yearly."""
    if needs_assessment_date is not None:
        return needs_assessment_date + ASSESSMENT_VALID_FOR
    if first_activity_start is not None:
        return first_activity_start + NEEDS_ASSESSMENT_WITHIN
    return None


def needs_assessment_update_due(due_by: date | None, today: date) -> bool:
    return due_by is not None and today >= due_by


@dataclass(eq=False)
class Customer:
    id: str
    individual_number: str
    first_name: str
    last_name: str
    date_of_birth: date
    ssn_last4: str
    snap_case_number: str
    ies_snap_case_number: str
    address_line1: str
    city: str
    state: str
    zip: str
    county: str
    dhs_office: str
    snap_eligibility: SnapEligibility
    ies_as_of: datetime
    email: str | None = None
    phone: str | None = None
    address_line2: str | None = None
    redetermination_date: date | None = None
    midpoint_date: date | None = None
    worknet_username: str | None = None
    worknet_id: str | None = None
    enrollment_date: date | None = None
    initial_assessment_date: date | None = None
    needs_assessment_date: date | None = None
    first_activity_start: date | None = None
    level_of_progress: LevelOfProgress | None = None
    employment_verification_status: str | None = None
    most_recent_credential: str | None = None
    most_recent_work_experience: str | None = None
    most_recent_permanent_placement: str | None = None
    most_recent_training_program: str | None = None
    earnfare_benefit_amount: Decimal | None = None
    et_status: EtStatus | None = None
    et_status_date: date | None = None
    staff_status: EtStatus | None = None
    staff_status_basis: EtStatus | None = None
    version: int = 1
    status_history: list[StatusChange] = field(default_factory=list)
    eligibility_history: list[EligibilityChange] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    enrollments: list[ProviderEnrollment] = field(default_factory=list)
    open_activities: list[OpenActivity] = field(default_factory=list)
    resource_team: list[ResourceContact] = field(default_factory=list)
    benefit_history: list[BenefitChange] = field(default_factory=list)

    # --- events this change announces -------------------------------------------------------------
    @property
    def pending_events(self) -> list[Event]:
        return self.__dict__.setdefault("_pending_events", [])

    def _announce(self, payload: Event) -> None:
        self.pending_events.append(payload)

    # --- IES ---------------------------------------------------------------------------------------
    @classmethod
    def register_from_ies(cls, customer_id: str, person: IesPerson, now: datetime) -> "Customer":
        """Rule: an IES record matched by individual number creates the customer in status IES Matched."""
        registration = ies_registration(customer_id, person, now)
        customer = cls(**registration.values)
        customer.eligibility_history.append(EligibilityChange(**registration.eligibility))
        customer.status_history.append(StatusChange(**registration.status))
        customer.pending_events.extend(registration.events)
        return customer

    def apply_ies(self, person: IesPerson) -> list[str]:
        """Take IES's current values; returns the fields that changed. Eligibility changes are kept as history."""
        changed = take_ies_values(self, person)
        if "snap_eligibility" in changed:
            self.eligibility_history.append(EligibilityChange(person.snap_eligibility, person.as_of))
        if changed:
            self._announce(ies_profile_changed(self.id, changed))
        return changed

    # --- staff edits of the profile ------------------------------------------------------------------
    def check_version(self, expected: int) -> None:
        if expected != self.version:
            raise Conflict("version", f"the profile was changed by someone else (now version {self.version}, you sent {expected}); reload it")

    def edit_profile(self, changes: dict, expected_version: int, by: str, now: datetime) -> list[str]:
        """Rule: IES-mastered fields are read-only to staff, except the SNAP case number."""
        self.check_version(expected_version)
        for name in changes:
            if name in IES_FIELDS and name != "snap_case_number":
                raise RuleViolation(name, "is mastered by IES and cannot be edited by staff")
            if name not in STAFF_EDITABLE_FIELDS:
                raise RuleViolation(name, "is not an editable profile field")
        today = now.date()
        for name in ("initial_assessment_date", "needs_assessment_date"):
            if changes.get(name) and changes[name] > today:
                raise RuleViolation(name, "cannot be in the future")
        if "snap_case_number" in changes and not (changes["snap_case_number"] or "").strip():
            raise RuleViolation("snap_case_number", "cannot be blank")
        return self._take_profile_changes(changes, f"edited by {by}", now, by)

    def _take_profile_changes(self, changes: dict, cause: str, now: datetime, actor: str | None) -> list[str]:
        """Rule: an initial assessment date completes the initial universal assessment (the status follows)."""
        changed = [name for name, value in changes.items() if getattr(self, name) != value]
        for name in changed:
            setattr(self, name, changes[name])
        if changed:
            self.version += 1
            self._announce(ProfileChanged(customer_id=self.id, changed_fields=changed, cause=cause))
            if "initial_assessment_date" in changed:
                self._recompute_status("initial universal assessment completed", now, actor)
        return changed

    @property
    def profile_warnings(self) -> list[str]:
        return profile_warnings(self.snap_case_number, self.ies_snap_case_number, self.current_locations, self.active_resource_team)

    # --- universal assessment --------------------------------------------------------------------
    def initial_assessment_update_due(self, today: date) -> bool:
        return initial_assessment_update_due(self.initial_assessment_date, today)

    def needs_assessment_due_by(self) -> date | None:
        return needs_assessment_due_by(self.needs_assessment_date, self.first_activity_start)

    def needs_assessment_update_due(self, today: date) -> bool:
        return needs_assessment_update_due(self.needs_assessment_due_by(), today)

    # --- E&T status --------------------------------------------------------------------------------
    def status_facts(self) -> StatusFacts:
        return StatusFacts(
            initial_assessment_complete=self.initial_assessment_date is not None,
            pending_referrals=sum(r.response is Response.PENDING for r in self.referrals),
            rejected_referrals=sum(r.response is Response.REJECTED for r in self.referrals),
            open_snap_activities=len(self.open_activities),
            enrollments=tuple(
                Enrollment(e.had_open_activity, e.exited_on is not None, e.retention_tracked) for e in self.enrollments
            ),
        )

    def _recompute_status(self, cause: str, now: datetime, actor: str | None) -> None:
        derived = derive_status(self.status_facts())
        if self.staff_status is not None and derived == self.staff_status_basis:
            return  # nothing the rules look at has moved: the status staff set stands
        self.staff_status = self.staff_status_basis = None
        self._change_status(derived, cause, now, actor)

    def set_staff_status(self, status: EtStatus, by: str, now: datetime) -> None:
        """Rule: Wait List and Not Enrolled are set by staff (never over an Active customer)."""
        if status not in STAFF_SET_STATUSES:
            allowed = " or ".join(sorted(s.value for s in STAFF_SET_STATUSES))
            raise RuleViolation("status", f"staff may set only {allowed}; other statuses follow from facts")
        if self.et_status == EtStatus.ACTIVE:
            raise RuleViolation("status", "the customer has a SNAP E&T activity Started/Open and so is Active")
        self.staff_status, self.staff_status_basis = status, derive_status(self.status_facts())
        self._change_status(status, "set by staff", now, by)

    def _change_status(self, status: EtStatus, cause: str, now: datetime, actor: str | None) -> None:
        """Every change of E&T status leaves a history row (status, date, cause, who)."""
        if status == self.et_status:
            return
        previous = self.et_status
        self.et_status, self.et_status_date = status, now.date()
        # Rule: the history lists changes in the order they happened, also several within one moment.
        if self.status_history and now <= self.status_history[-1].recorded_at:
            now = self.status_history[-1].recorded_at + timedelta(microseconds=1)
        self.status_history.append(StatusChange(status, now.date(), cause, actor, now))
        self._announce(
            EtStatusChanged(
                customer_id=self.id,
                status=status,
                previous_status=previous,
                effective_date=now.date(),
                cause=cause,
            )
        )

    # --- referrals -------------------------------------------------------------------------------
    def referral(self, number: int) -> Referral:
        for referral in self.referrals:
            if referral.number == number:
                return referral
        raise NotFound("referral_number", f"no referral {number} for this customer")

    def _stamp_form(self, referral: Referral, record: ReferralRecord) -> None:
        """The referral form as printed at this child record (a snapshot, never recomputed)."""
        record.form = {
            "record_number": referral.record_number(record),
            "response": record.response.value,
            "reason": record.reason,
            "customer": {
                "name": f"{self.first_name} {self.last_name}",
                "individual_number": self.individual_number,
                "snap_case_number": self.snap_case_number,
                "date_of_birth": self.date_of_birth.isoformat(),
                "address": ", ".join(p for p in (self.address_line1, self.address_line2, self.city, self.state, self.zip) if p),
                "county": self.county,
                "phone": self.phone,
                "email": self.email,
                "snap_eligibility": str(self.snap_eligibility),
                "et_status": str(self.et_status),
            },
            "referral_number": referral.number,
            "referred_to": referral.referred_to,
            "referred_from": referral.referred_from,
            "program": str(referral.program),
            "date_submitted": referral.date_submitted.isoformat(),
            "responded_by": referral.responded_by,
            "response_date": referral.response_date.isoformat() if referral.response_date else None,
            "snap_et_eligible": referral.snap_et_eligible,
        }

    def _check_can_refer_to(self, location: str, besides: Referral | None = None) -> None:
        if any(r is not besides and r.referred_to == location and r.response is Response.PENDING for r in self.referrals):
            raise RuleViolation("referred_to", f"a referral to {location} is already pending")
        if location in self.current_locations:
            raise RuleViolation("referred_to", f"the customer is already enrolled with {location}")

    def send_referral(self, referred_to: str, referred_from: str, program: Program, by: str, now: datetime) -> Referral:
        if referred_to == referred_from:
            raise RuleViolation("referred_to", "a referral goes to another provider location")
        self._check_can_refer_to(referred_to)
        referral = Referral(
            number=len(self.referrals) + 1,
            referred_to=referred_to,
            referred_from=referred_from,
            program=program,
            date_submitted=now.date(),
        )
        self.referrals.append(referral)
        self._sent(referral, referral.send(by), "referral sent", by, now)
        return referral

    def resend_referral(self, number: int, expected_version: int, by: str, now: datetime) -> Referral:
        referral = self.referral(number)
        self._check_can_refer_to(referral.referred_to, besides=referral)
        self._sent(referral, referral.resend(by, now.date(), expected_version), "referral resent", by, now)
        return referral

    def _sent(self, referral: Referral, record: ReferralRecord, cause: str, by: str, now: datetime) -> None:
        self._stamp_form(referral, record)
        self._announce(
            ReferralSent(
                customer_id=self.id,
                referral_number=referral.number,
                record_number=referral.record_number(record),
                referred_to_location=referral.referred_to,
                referred_from_location=referral.referred_from,
                program=referral.program,
            )
        )
        self._recompute_status(cause, now, by)

    def accept_referral(
        self, number: int, expected_version: int, snap_et_eligible: bool, by: str, now: datetime
    ) -> Referral:
        """Rule: accepting assigns the customer to the receiving location, sets the enrollment date on the first
        acceptance and the program enrollment. A customer may be enrolled with two providers at once."""
        referral = self.referral(number)
        if referral.referred_to in self.current_locations:
            raise RuleViolation("referral", f"the customer is already enrolled with {referral.referred_to}")
        record = referral.accept(by, now.date(), snap_et_eligible, expected_version)
        self._stamp_form(referral, record)
        self.enrollments.append(ProviderEnrollment(referral.referred_to, referral.program, now.date(), number))
        if self.enrollment_date is None:
            self.enrollment_date = now.date()
        self._announce(
            ReferralAccepted(
                customer_id=self.id,
                referral_number=number,
                record_number=referral.record_number(record),
                location=referral.referred_to,
                program=referral.program,
                snap_et_eligible=snap_et_eligible,
            )
        )
        self._announce(
            CustomerEnrolled(customer_id=self.id, location=referral.referred_to, program=referral.program, enrollment_date=now.date())
        )
        self._recompute_status("referral accepted", now, by)
        return referral

    def reject_referral(self, number: int, expected_version: int, reason: str, by: str, now: datetime) -> Referral:
        referral = self.referral(number)
        record = referral.reject(by, now.date(), reason, expected_version)
        self._stamp_form(referral, record)
        self._announce(
            ReferralRejected(
                customer_id=self.id,
                referral_number=number,
                record_number=referral.record_number(record),
                location=referral.referred_to,
                reason=record.reason,
            )
        )
        self._recompute_status("referral rejected", now, by)
        return referral

    @property
    def current_locations(self) -> list[str]:
        return current_locations(self.enrollments)

    @property
    def program_enrollment(self) -> list[Program]:
        return program_enrollment(self.enrollments)

    @property
    def pending_referral_locations(self) -> list[str]:
        return [r.referred_to for r in self.referrals if r.response is Response.PENDING]

    # --- facts from other services -----------------------------------------------------------------
    def record_activity_status(self, change: ActivityStatusChanged, now: datetime) -> None:
        activity = ACTIVITY_CATALOGUE.get(change.activity_code)
        if change.kind is ActivityKind.SNAP_ET:
            self.open_activities = [a for a in self.open_activities if a.activity_id != change.activity_id]
            if change.status is ActivityStatus.STARTED and not change.removed:
                start = change.start_date or change.effective_date
                self.open_activities.append(OpenActivity(change.activity_id, change.activity_code, change.location, start))
                enrolled_here = [e for e in self.enrollments if e.exited_on is None and e.location == change.location]
                for enrollment in enrolled_here or [e for e in self.enrollments if e.exited_on is None]:
                    enrollment.had_open_activity = True
                if self.first_activity_start is None or start < self.first_activity_start:
                    self.first_activity_start = start
        if change.status is ActivityStatus.STARTED and activity is not None:
            if activity.worksite_based:
                self.most_recent_work_experience = change.activity_name
            if activity.code in TRAINING_CODES:
                self.most_recent_training_program = change.activity_name
        self._recompute_status(f"activity {change.activity_code} {change.status.value}", now, None)

    def record_exit(self, exit_: CustomerExited, now: datetime) -> None:
        for enrollment in self.enrollments:
            if enrollment.location == exit_.location and enrollment.exited_on is None:
                enrollment.exited_on = exit_.program_completion_date
                enrollment.completion_status = exit_.completion_status
                enrollment.retention_tracked = exit_.retention_tracked
        self.open_activities = [a for a in self.open_activities if a.location != exit_.location]
        self._recompute_status(f"exited by {exit_.location}: {exit_.completion_status}", now, None)

    def record_assessment(self, recorded: AssessmentRecorded, now: datetime) -> None:
        """Rule: casemgmt's initial universal / needs assessment sets that date; an older one never overwrites a newer."""
        name = ASSESSMENT_DATES.get(recorded.assessment)
        current = getattr(self, name) if name else None
        if name and (current is None or recorded.taken_on > current):
            self._take_profile_changes({name: recorded.taken_on}, f"{recorded.assessment.value} recorded", now, None)

    def note_credential(self, title: str) -> None:
        self.most_recent_credential = title

    def note_employment(self, description: str, permanent: bool) -> None:
        if permanent:
            self.most_recent_permanent_placement = description
        if self.employment_verification_status is None:
            self.employment_verification_status = "Not Verified"

    def note_employment_verified(self) -> None:
        self.employment_verification_status = "Verified Employment"

    # --- status section ----------------------------------------------------------------------------
    def set_level_of_progress(self, level: LevelOfProgress | None, by: str) -> None:
        if level != self.level_of_progress:
            self.level_of_progress = level
            self._announce(LevelOfProgressChanged(customer_id=self.id, level_of_progress=level))

    @property
    def active_resource_team(self) -> list[ResourceContact]:
        return active_resource_team(self.resource_team)

    def add_resource_contact(self, name: str, email: str, by: str, now: datetime) -> ResourceContact:
        if not name.strip():
            raise RuleViolation("name", "a resource team contact needs a name")
        if not _EMAIL.match(email):
            raise RuleViolation("email", "is not an email address")
        if any(c.email.lower() == email.lower() for c in self.active_resource_team):
            raise RuleViolation("email", "is already on the resource team")
        contact = ResourceContact(name.strip(), email.strip(), by, now)
        self.resource_team.append(contact)
        self._announce_team()
        return contact

    def remove_resource_contact(self, email: str, now: datetime) -> None:
        for contact in self.active_resource_team:
            if contact.email.lower() == email.lower():
                contact.removed_at = now
                self._announce_team()
                return
        raise NotFound("email", "is not on the resource team")

    def _announce_team(self) -> None:
        self._announce(
            ResourceTeamChanged(
                customer_id=self.id, contacts=[{"name": c.name, "email": c.email} for c in self.active_resource_team]
            )
        )

    def set_earnfare_benefit(self, amount: Decimal, effective_date: date, by: str, now: datetime) -> BenefitChange:
        """Rule: monthly benefit hours = benefit amount / state minimum wage, rounded down to whole hours."""
        if amount <= 0:
            raise RuleViolation("benefit_amount", "must be more than $0.00")
        if amount.as_tuple().exponent < -2:
            raise RuleViolation("benefit_amount", "at most 2 decimal places")
        if Program.EARNFARE not in {e.program for e in self.enrollments}:
            raise RuleViolation("benefit_amount", "the customer has no Earnfare enrollment")
        hours = monthly_benefit_hours(amount, minimum_wage_on(effective_date))
        change = BenefitChange(amount, effective_date, by, hours, now)
        self.benefit_history.append(change)
        self.earnfare_benefit_amount = max(self.benefit_history, key=lambda c: (c.effective_date, c.recorded_at)).amount
        self._announce(
            EarnfareBenefitChanged(
                customer_id=self.id, benefit_amount=amount, effective_date=effective_date, monthly_benefit_hours=hours
            )
        )
        return change

    @property
    def monthly_benefit_hours(self) -> int | None:
        return latest_monthly_benefit_hours(self.benefit_history)
