"""Bodies of referrals: sending, resending and answering one, and the referral with its child records."""

from collections.abc import Mapping, Sequence
from datetime import date

from pydantic import Field

from isets_contracts.reference import Program
from isets_kit.http import RequestBody
from isets_kit.text import free_text
from intake.adapters.schemas.common import Location, Orm
from intake.domain.referral import Referral, record_number

Reason = free_text(max_length=500)


class ReferralIn(RequestBody):
    referred_to: Location
    referred_from: Location
    program: Program


class VersionIn(RequestBody):
    version: int = Field(description="the referral version you read; a stale one is refused with 409")


class AcceptIn(VersionIn):
    snap_et_eligible: bool


class RejectIn(VersionIn):
    reason: Reason


class ReferralRecordOut(Orm):
    record_number: str
    action: str
    referred_to: str
    referred_from: str
    program: Program
    date_submitted: date
    response: str
    submitted_by: str
    responded_by: str | None
    response_date: date | None
    snap_et_eligible: bool | None
    reason: str | None
    historical_reference: bool


class ReferralOut(Orm):
    number: int
    referred_to: str
    referred_from: str
    program: Program
    date_submitted: date
    response: str
    responded_by: str | None
    response_date: date | None
    snap_et_eligible: bool | None
    version: int
    records: list[ReferralRecordOut]

    @classmethod
    def of(cls, referral: Referral) -> "ReferralOut":
        records = [
            ReferralRecordOut.model_validate(
                {
                    **{n: getattr(r, n) for n in ReferralRecordOut.model_fields if hasattr(r, n)},
                    "record_number": referral.record_number(r),
                    "historical_reference": r.historical,
                }
            )
            for r in referral.records
        ]
        fields = {n: getattr(referral, n) for n in cls.model_fields if n != "records"}
        return cls.model_validate(fields | {"records": records})

    @classmethod
    def of_rows(cls, referral: Mapping, records: Sequence[Mapping]) -> "ReferralOut":
        """From the rows the referrals view read (the records without their form snapshots)."""
        return cls.model_validate(
            {
                **referral,
                "records": [
                    ReferralRecordOut.model_validate(
                        {
                            **record,
                            "record_number": record_number(referral["number"], record["sequence"]),
                            "historical_reference": record["historical"],
                        }
                    )
                    for record in records
                ],
            }
        )
