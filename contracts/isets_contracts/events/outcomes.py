"""Events outcomes produces. outcomes owns this module: it changes only compatibly (schemas.py)."""

from datetime import date

from pydantic import model_validator

from isets_contracts import topics
from isets_contracts.envelope import Event, event
from isets_contracts.events.fields import CustomerId, LocationId, Name, RecordId
from isets_contracts.reference import EXIT_REASONS, CredentialType, ExitCompletionStatus, ExitReason, Program


@event("outcomes.credential.earned", topics.OUTCOMES)
class CredentialEarned(Event):
    customer_id: CustomerId
    credential_id: RecordId
    title: Name
    credential_type: CredentialType
    date_earned: date


@event("outcomes.customer.exited", topics.OUTCOMES)
class CustomerExited(Event):
    """A provider exited the customer. `retention_tracked` keeps them in Retention when no provider remains."""

    customer_id: CustomerId
    location: LocationId
    program: Program
    completion_status: ExitCompletionStatus
    outcome_reason: ExitReason | None = None
    program_completion_date: date
    retention_tracked: bool = False

    @model_validator(mode="after")
    def _reason_fits_the_completion_status(self) -> "CustomerExited":
        if self.outcome_reason is not None and self.outcome_reason not in EXIT_REASONS[self.completion_status]:
            raise ValueError(f"outcome reason '{self.outcome_reason}' does not go with '{self.completion_status}'")
        return self
