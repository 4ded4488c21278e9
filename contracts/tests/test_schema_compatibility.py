"""The compatibility check against committed schemas: every narrowing or removal fails it, additions and
loosenings pass. Each case edits a schema generated from a real event model, the shapes the check meets."""

import copy
from functools import reduce
from operator import getitem

import pytest

from isets_contracts.schemas import incompatibilities, schema_of

ET_STATUS = "intake.et_status.changed"
BENEFIT = "intake.earnfare_benefit.changed"
PERSON = "ies_sync.person.changed"
EMPLOYMENT = "employment.employment.recorded"


def at(*path):
    """The part of a schema at `path` (dictionary keys and list indexes)."""
    return lambda schema: reduce(getitem, path, schema)


status_changed = at("$defs", "EtStatusChanged")
cause = at("$defs", "EtStatusChanged", "properties", "cause")
customer_id = at("$defs", "EtStatusChanged", "properties", "customer_id")
et_status = at("$defs", "EtStatus")
benefit_hours = at("$defs", "EarnfareBenefitChanged", "properties", "monthly_benefit_hours")
benefit_amount_as_text = at("$defs", "EarnfareBenefitChanged", "properties", "benefit_amount", "anyOf", 1)
weekly_hours_as_number = at("$defs", "EmploymentRecorded", "properties", "hours_per_week", "anyOf", 0)
person = at("$defs", "IesPersonChanged")
email_as_text = at("$defs", "IesPersonChanged", "properties", "email", "anyOf", 0)
ssn_last4 = at("$defs", "IesPersonChanged", "properties", "ssn_last4")


def add_required_reason(schema):
    status_changed(schema)["properties"]["reason"] = {"type": "string"}
    status_changed(schema)["required"].append("reason")


BREAKING = {
    "str_becomes_enum": (ET_STATUS, lambda s: cause(s).update(enum=["referral sent"]), "cause: values restricted to the enumeration"),
    "pattern_added": (ET_STATUS, lambda s: cause(s).update(pattern="^[a-z ]+$"), "cause: pattern added"),
    "pattern_changed": (PERSON, lambda s: ssn_last4(s).update(pattern="^[0-9]{3}$"), "ssn_last4: pattern changed"),
    "decimal_pattern_changed": (BENEFIT, lambda s: benefit_amount_as_text(s).update(pattern="^[0-9]{1,4}$"), "benefit_amount: pattern changed"),
    "max_length_added": (ET_STATUS, lambda s: cause(s).update(maxLength=80), "cause: maxLength added: 80"),
    "max_length_lowered": (ET_STATUS, lambda s: customer_id(s).update(maxLength=20), "customer_id: maxLength lowered: 20"),
    "max_length_lowered_on_a_nullable_field": (PERSON, lambda s: email_as_text(s).update(maxLength=100), "email: maxLength lowered: 100"),
    "maximum_added": (BENEFIT, lambda s: benefit_hours(s).update(maximum=200), "monthly_benefit_hours: maximum added: 200"),
    "maximum_lowered": (EMPLOYMENT, lambda s: weekly_hours_as_number(s).update(maximum=40), "hours_per_week: maximum lowered: 40"),
    "min_length_raised": (ET_STATUS, lambda s: customer_id(s).update(minLength=5), "customer_id: minLength raised: 5"),
    "minimum_raised": (BENEFIT, lambda s: benefit_hours(s).update(minimum=1), "monthly_benefit_hours: minimum raised: 1"),
    "field_becomes_required": (PERSON, lambda s: person(s)["required"].append("email"), "email: became required"),
    "new_required_field": (ET_STATUS, add_required_reason, "reason: new required field"),
    "field_removed": (ET_STATUS, lambda s: status_changed(s)["properties"].pop("cause"), "cause: field removed"),
    "type_changed": (ET_STATUS, lambda s: cause(s).update(type="integer"), "cause: type changed"),
    "enum_value_removed": (ET_STATUS, lambda s: et_status(s)["enum"].remove("Exited"), "enumeration values removed ['Exited']"),
    "additional_properties_closed": (ET_STATUS, lambda s: status_changed(s).update(additionalProperties=False), "additional properties closed"),
}

COMPATIBLE = {
    "optional_field_added": (ET_STATUS, lambda s: status_changed(s)["properties"].update(note={"type": "string", "default": ""})),
    "enum_value_added": (ET_STATUS, lambda s: et_status(s)["enum"].append("Transferred")),
    "enum_becomes_plain_string": (ET_STATUS, lambda s: et_status(s).pop("enum")),
    "pattern_removed": (PERSON, lambda s: ssn_last4(s).pop("pattern")),
    "max_length_raised": (ET_STATUS, lambda s: customer_id(s).update(maxLength=64)),
    "min_length_lowered": (ET_STATUS, lambda s: customer_id(s).update(minLength=0)),
    "maximum_raised": (EMPLOYMENT, lambda s: weekly_hours_as_number(s).update(maximum=200)),
    "minimum_removed": (BENEFIT, lambda s: benefit_hours(s).pop("minimum")),
    "field_becomes_nullable": (ET_STATUS, lambda s: status_changed(s)["properties"].update(cause={"anyOf": [{"type": "string"}, {"type": "null"}]})),
}


def edited(event_type: str, edit) -> tuple[dict, dict]:
    old = schema_of(event_type, 1)
    new = copy.deepcopy(old)
    edit(new)
    return old, new


@pytest.mark.parametrize("event_type,edit,problem", BREAKING.values(), ids=BREAKING.keys())
def test_compatibility_check_fails_a_breaking_change(event_type, edit, problem):
    problems = incompatibilities(*edited(event_type, edit))
    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize("event_type,edit", COMPATIBLE.values(), ids=COMPATIBLE.keys())
def test_compatibility_check_passes_a_compatible_change(event_type, edit):
    assert incompatibilities(*edited(event_type, edit)) == []
