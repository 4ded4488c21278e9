"""Bodies of the status section: E&T status set by staff, level of progress (answers are the Profile)."""

from typing import Literal

from pydantic import Field

from isets_contracts.reference import EtStatus, LevelOfProgress
from isets_kit.http import RequestBody
from intake.domain.et_status import STAFF_SET_STATUSES


class StaffStatus(RequestBody):
    # Plain values (not enum members), so the OpenAPI and the 422 list them as words.
    status: Literal[tuple(sorted(s.value for s in STAFF_SET_STATUSES))] = Field(  # type: ignore[valid-type]
        description="the statuses staff set; every other status follows from facts"
    )

    @property
    def et_status(self) -> EtStatus:
        return EtStatus(self.status)


class LevelOfProgressIn(RequestBody):
    level_of_progress: LevelOfProgress | None
