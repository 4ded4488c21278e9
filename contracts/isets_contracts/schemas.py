"""Committed JSON Schemas of every event, and the compatibility check against them.

`python -m isets_contracts.schemas` rewrites contracts/schemas/ from the models; the contract test
fails when a model changed incompatibly with its committed schema. Incompatible: a field removed, a
field becoming required, a type changed, an enumeration value removed, and every narrowing that would
make an event already on a topic (or replayed from a dead-letter topic) fail validation: a string
becoming an enumeration, a pattern added or changed, a maximum added or lowered, a minimum added or
raised, additional properties closed. Compatible: an optional field added, an enumeration value added
(deploy its consumers before the producer sends it), a constraint loosened.

Hand-written: the JSON-Schema compatibility libraries checked (jsoncompat 0.3.1 and others) answer with
one yes/no per direction, miss an added pattern, and no direction matches these rules.
"""

import json
import sys
from pathlib import Path
from typing import Any

from isets_contracts.envelope import EVENT_TYPES, Envelope

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def schema_of(event_type: str, version: int) -> dict[str, Any]:
    return Envelope[EVENT_TYPES[(event_type, version)]].model_json_schema()


def schema_path(event_type: str, version: int) -> Path:
    return SCHEMA_DIR / f"{event_type}.v{version}.json"


# Keywords whose new value rejects values the old one accepted when it is added or moves this way.
_UPPER_BOUNDS = ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum")
_LOWER_BOUNDS = ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum")


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _branches(schema: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]]:
    """The alternatives of a schema (`anyOf`/`oneOf` flattened, references resolved)."""
    schema = _resolve(schema, root)
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives is None:
        return [schema]
    return [branch for alternative in alternatives for branch in _branches(alternative, root)]


def _kind(branch: dict[str, Any]) -> str:
    kind = branch.get("type", "object" if "properties" in branch else "any")
    return f"{kind}:{branch.get('format', '')}"


def incompatibilities(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What in `new` would break a reader or writer built against `old` (empty list = compatible)."""
    problems: list[str] = []
    _compare(old, new, old, new, "envelope", problems)
    return problems


def _compare(old, new, old_root, new_root, path: str, problems: list[str]) -> None:
    old_branches, new_branches = _branches(old, old_root), _branches(new, new_root)
    old_kinds, new_kinds = {_kind(b) for b in old_branches}, {_kind(b) for b in new_branches}
    if not old_kinds <= new_kinds:
        problems.append(f"{path}: type changed from {sorted(old_kinds)} to {sorted(new_kinds)}")
        return
    for old_branch in old_branches:
        new_branch = next(b for b in new_branches if _kind(b) == _kind(old_branch))
        _compare_values(old_branch, new_branch, path, problems)
        if "properties" in old_branch or "properties" in new_branch:
            _compare_properties(old_branch, new_branch, old_root, new_root, path, problems)
        if "items" in old_branch and "items" in new_branch:
            _compare(old_branch["items"], new_branch["items"], old_root, new_root, f"{path}[]", problems)


def _compare_values(old: dict[str, Any], new: dict[str, Any], path: str, problems: list[str]) -> None:
    if "enum" in new and "enum" not in old:
        problems.append(f"{path}: values restricted to the enumeration {new['enum']}")
    elif "enum" in old:
        removed = set(old["enum"]) - set(new.get("enum", old["enum"]))
        if removed:
            problems.append(f"{path}: enumeration values removed {sorted(removed)}")
    if "const" in new and new.get("const") != old.get("const"):
        problems.append(f"{path}: value fixed to {new['const']!r}")
    if "pattern" in new and new["pattern"] != old.get("pattern"):
        problems.append(f"{path}: pattern {'changed' if 'pattern' in old else 'added'}: {new['pattern']}")
    for keyword in _UPPER_BOUNDS:
        if keyword in new and (keyword not in old or new[keyword] < old[keyword]):
            problems.append(f"{path}: {keyword} {'lowered' if keyword in old else 'added'}: {new[keyword]}")
    for keyword in _LOWER_BOUNDS:
        if keyword in new and (keyword not in old or new[keyword] > old[keyword]):
            problems.append(f"{path}: {keyword} {'raised' if keyword in old else 'added'}: {new[keyword]}")


def _compare_properties(old, new, old_root, new_root, path: str, problems: list[str]) -> None:
    old_properties, new_properties = old.get("properties", {}), new.get("properties", {})
    for name in sorted(set(new.get("required", [])) - set(old.get("required", []))):
        problems.append(f"{path}.{name}: {'became required' if name in old_properties else 'new required field'}")
    for name, old_field in old_properties.items():
        if name not in new_properties:
            problems.append(f"{path}.{name}: field removed")
        else:
            _compare(old_field, new_properties[name], old_root, new_root, f"{path}.{name}", problems)
    old_extra, new_extra = old.get("additionalProperties", True), new.get("additionalProperties", True)
    if new_extra is False and old_extra is not False:
        problems.append(f"{path}: additional properties closed")
    elif isinstance(old_extra, dict) and isinstance(new_extra, dict):
        _compare(old_extra, new_extra, old_root, new_root, f"{path}{{}}", problems)
    elif old_extra is True and isinstance(new_extra, dict):
        problems.append(f"{path}: additional properties restricted")


def write_all() -> list[Path]:
    SCHEMA_DIR.mkdir(exist_ok=True)
    written = []
    for event_type, version in sorted(EVENT_TYPES):
        path = schema_path(event_type, version)
        path.write_text(json.dumps(schema_of(event_type, version), indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_all():
        print(written_path.relative_to(SCHEMA_DIR.parent), file=sys.stdout)
