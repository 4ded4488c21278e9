"""Committed JSON Schemas of every event, and the compatibility check against them.

`python -m isets_contracts.schemas` rewrites contracts/schemas/ from the models; the contract test
fails when a model changed incompatibly with its committed schema (a field removed, a new required
field, a type changed, an enumeration value removed). Compatible change = add optional fields.
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


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _types(schema: dict[str, Any], root: dict[str, Any]) -> set[str]:
    schema = _resolve(schema, root)
    if "anyOf" in schema:
        return set().union(*(_types(s, root) for s in schema["anyOf"]))
    kind = schema.get("type", "object" if "properties" in schema else "any")
    return {f"{kind}:{schema.get('format', '')}"}


def incompatibilities(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What in `new` would break a reader or writer built against `old` (empty list = compatible)."""
    return _compare(old, new, old, new, "envelope", [])


def _compare(old, new, old_root, new_root, path, problems) -> list[str]:
    old, new = _resolve(old, old_root), _resolve(new, new_root)
    old_any = [_resolve(s, old_root) for s in old.get("anyOf", [old])]
    new_any = [_resolve(s, new_root) for s in new.get("anyOf", [new])]
    if not _types(old, old_root) <= _types(new, new_root):
        problems.append(f"{path}: type changed from {sorted(_types(old, old_root))} to {sorted(_types(new, new_root))}")
        return problems
    for old_branch in old_any:
        if "enum" in old_branch:
            new_values = {v for b in new_any for v in b.get("enum", [])}
            removed = set(old_branch["enum"]) - new_values
            if removed:
                problems.append(f"{path}: enumeration values removed {sorted(removed)}")
        if "properties" in old_branch:
            new_branch = next((b for b in new_any if "properties" in b), {"properties": {}})
            added_required = set(new_branch.get("required", [])) - set(old_branch.get("required", []))
            for name in sorted(added_required):
                problems.append(f"{path}.{name}: new required field")
            for name, old_field in old_branch["properties"].items():
                if name not in new_branch["properties"]:
                    problems.append(f"{path}.{name}: field removed")
                else:
                    _compare(old_field, new_branch["properties"][name], old_root, new_root, f"{path}.{name}", problems)
        if old_branch.get("type") == "array" and "items" in old_branch:
            new_branch = next((b for b in new_any if b.get("type") == "array"), None)
            if new_branch is not None:
                _compare(old_branch["items"], new_branch.get("items", {}), old_root, new_root, f"{path}[]", problems)
    return problems


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
