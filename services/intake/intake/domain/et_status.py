"""The E&T status rules of DOMAIN.md §2, as one function of the facts known about a customer.

Most status changes are automatic: the status is re-derived whenever a fact changes. Staff may set
Wait List or Not Enrolled; that holds until a new fact changes what the rules derive.
"""

from dataclasses import dataclass

from isets_contracts.reference import EtStatus

STAFF_SET_STATUSES = frozenset({EtStatus.WAIT_LIST, EtStatus.NOT_ENROLLED})


@dataclass(frozen=True)
class Enrollment:
    """One accepted referral's stay with a provider location."""

    had_open_activity: bool
    exited: bool = False
    retention_tracked: bool = False


@dataclass(frozen=True)
class StatusFacts:
    initial_assessment_complete: bool = False
    pending_referrals: int = 0
    rejected_referrals: int = 0
    open_snap_activities: int = 0
    enrollments: tuple[Enrollment, ...] = ()


def derive_status(facts: StatusFacts) -> EtStatus:
    # Rule: a customer is Active only while at least one SNAP E&T activity is Started/Open.
    if facts.open_snap_activities > 0:
        return EtStatus.ACTIVE
    current = [e for e in facts.enrollments if not e.exited]
    if current:
        # Rule: was Active, now no SNAP E&T activity open and not exited → Inactive;
        # accepted with no activity opened yet → Pending Activity Start Date.
        return EtStatus.INACTIVE if any(e.had_open_activity for e in current) else EtStatus.PENDING_ACTIVITY_START_DATE
    if facts.pending_referrals > 0:
        return EtStatus.PENDING_REFERRAL_APPROVAL
    if facts.enrollments:
        # Exited from every provider: Retention while employment retention is tracked; Never Active
        # when no enrollment ever had an open activity; otherwise Exited.
        if any(e.retention_tracked for e in facts.enrollments):
            return EtStatus.RETENTION
        if not any(e.had_open_activity for e in facts.enrollments):
            return EtStatus.NEVER_ACTIVE
        return EtStatus.EXITED
    if facts.rejected_referrals > 0:
        return EtStatus.REFERRAL_REJECTED
    if facts.initial_assessment_complete:
        return EtStatus.INITIAL_ASSESSMENT_COMPLETE
    return EtStatus.IES_MATCHED
