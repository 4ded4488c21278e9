"""Field types shared by the event modules: the bounds every producer promises and every consumer may rely on.

String limits are the column sizes consumers store the values in (a longer id would fail the insert).
"""

from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer, StringConstraints, WithJsonSchema

# intake issues customer ids (UUIDs, 36 characters); consumers only look them up.
CustomerId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
IndividualNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,20}$")]
LocationId = Annotated[str, StringConstraints(min_length=1, max_length=40)]
RecordId = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
SsnLast4 = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]


def _decimal_schema(maximum: int | None, integer_digits: int) -> WithJsonSchema:
    """On the wire a Decimal is a string ("12.50"); the schema states its digits, not just "a string"."""
    number = {"type": "number", "minimum": 0} | ({"maximum": maximum} if maximum is not None else {})
    text = {"type": "string", "pattern": rf"^[0-9]{{1,{integer_digits}}}(\.[0-9]{{1,2}})?$"}
    return WithJsonSchema({"anyOf": [number, text]})


# Fixed-point on the wire: Decimal("1E+1") is sent as "10", which the schema's pattern accepts.
_fixed_point = PlainSerializer(lambda value: format(value, "f"), return_type=str, when_used="json")

WeeklyHours = Annotated[Decimal, Field(ge=0, le=168, decimal_places=2), _decimal_schema(168, 3), _fixed_point]
Money = Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2), _decimal_schema(None, 8), _fixed_point]
