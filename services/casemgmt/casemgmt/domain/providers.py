"""Providers (grantees), their locations and the locations' E&T program contracts: reference data statewide
staff maintain. A contract says which activities its location may add to plans in one fiscal year, and
its skills and interests recommend the program to customers."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from isets_contracts.events import LocationChanged, ProgramContractChanged, ProviderChanged
from isets_contracts.reference import ACTIVITY_CATALOGUE, ActivityCode, ActivityKind, ProgramOffering
from isets_kit.errors import Conflict, RuleViolation

# Only these kinds are offered by a contract; support services and referrals to services are always available.
OFFERED_KINDS = frozenset({ActivityKind.SNAP_ET, ActivityKind.OTHER_ET})

# What a provider's program manager may change in the contracts of their own locations.
PROGRAM_MANAGER_FIELDS = frozenset({"schedule", "skills", "interests", "activities_offered"})


def fiscal_year_of(day: date) -> int:
    """Illinois FY runs 1 July to 30 June and is named by the year it ends (2023-07-01 is in FY2024)."""
    return day.year + 1 if day.month >= 7 else day.year


def available_without_contract(code: ActivityCode) -> bool:
    return ACTIVITY_CATALOGUE[code].kind not in OFFERED_KINDS


def check_offerable(codes: list[ActivityCode]) -> list[ActivityCode]:
    """Rule: a contract offers only SNAP E&T and Other E&T activities, each once."""
    for code in codes:
        activity = ACTIVITY_CATALOGUE[code]
        if activity.kind not in OFFERED_KINDS:
            raise RuleViolation(
                "activities_offered",
                f"{code.value} is a {activity.kind.value.lower()}: always available, never offered by a contract",
            )
    return list(dict.fromkeys(codes))


def _terms(values: list[str]) -> list[str]:
    """Skills or interests: blanks dropped, each once (case-insensitively), in the order given."""
    kept: dict[str, str] = {}
    for value in values:
        if value.strip():
            kept.setdefault(value.strip().casefold(), value.strip())
    return list(kept.values())


def _check_version(kind: str, version: int, expected: int) -> None:
    if expected != version:
        raise Conflict("version", f"the {kind} was changed by someone else (now version {version}, you sent {expected}); reload it")


class _Announcing:
    @property
    def pending_events(self) -> list:
        return self.__dict__.setdefault("_pending_events", [])


@dataclass(eq=False)
class Provider(_Announcing):
    id: str
    name: str
    version: int = 1

    @classmethod
    def register(cls, provider_id: str, name: str) -> "Provider":
        provider = cls(provider_id, name)
        provider._announce()
        return provider

    def rename(self, name: str, expected_version: int) -> None:
        _check_version("provider", self.version, expected_version)
        if name != self.name:
            self.name = name
            self.version += 1
            self._announce()

    def _announce(self) -> None:
        self.pending_events.append(ProviderChanged(provider_id=self.id, name=self.name))


LOCATION_FIELDS = ("name", "county", "address", "open")


@dataclass(eq=False)
class Location(_Announcing):
    id: str
    provider_id: str
    name: str
    county: str
    address: str = ""
    open: bool = True
    version: int = 1

    @classmethod
    def create(cls, location_id: str, provider: Provider, name: str, county: str, address: str = "") -> "Location":
        location = cls(location_id, provider.id, name, county, address)
        location._announce()
        return location

    def edit(self, changes: dict, expected_version: int) -> list[str]:
        """Rename, move or close (`open` false: no new referrals) the location; returns what changed."""
        _check_version("location", self.version, expected_version)
        changed = [name for name in LOCATION_FIELDS if name in changes and changes[name] != getattr(self, name)]
        for name in changed:
            setattr(self, name, changes[name])
        if changed:
            self.version += 1
            self._announce()
        return changed

    def _announce(self) -> None:
        self.pending_events.append(
            LocationChanged(location_id=self.id, provider_id=self.provider_id, name=self.name, county=self.county, open=self.open)
        )


CONTRACT_FIELDS = (
    "contract_number", "fiscal_year", "program_name", "offering", "activities_offered", "schedule", "skills", "interests",
)


@dataclass(eq=False)
class ProgramContract(_Announcing):
    id: str
    contract_number: str
    fiscal_year: int
    provider_id: str
    location_id: str
    program_name: str
    offering: ProgramOffering
    updated_at: datetime
    updated_by: str
    activities_offered: list[ActivityCode] = field(default_factory=list)
    schedule: str = ""
    skills: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    version: int = 1

    @classmethod
    def sign(cls, contract_id: str, location: Location, terms: dict, by: str, now: datetime) -> "ProgramContract":
        contract = cls(
            contract_id,
            terms["contract_number"],
            terms["fiscal_year"],
            location.provider_id,
            location.id,
            terms["program_name"],
            terms["offering"],
            now,
            by,
            check_offerable(terms.get("activities_offered", [])),
            terms.get("schedule", ""),
            _terms(terms.get("skills", [])),
            _terms(terms.get("interests", [])),
        )
        contract._announce()
        return contract

    def edit(self, changes: dict, expected_version: int, by: str, now: datetime) -> list[str]:
        _check_version("program contract", self.version, expected_version)
        changes = dict(changes)
        if "activities_offered" in changes:
            changes["activities_offered"] = check_offerable(changes["activities_offered"])
        for name in ("skills", "interests"):
            if name in changes:
                changes[name] = _terms(changes[name])
        changed = [name for name in CONTRACT_FIELDS if name in changes and changes[name] != getattr(self, name)]
        for name in changed:
            setattr(self, name, changes[name])
        if changed:
            self.version += 1
            self.updated_at, self.updated_by = now, by
            self._announce()
        return changed

    def covers(self, day: date) -> bool:
        return self.fiscal_year == fiscal_year_of(day)

    def _announce(self) -> None:
        self.pending_events.append(
            ProgramContractChanged(
                contract_id=self.id,
                contract_number=self.contract_number,
                fiscal_year=self.fiscal_year,
                provider_id=self.provider_id,
                location_id=self.location_id,
                program_name=self.program_name,
                offering=self.offering,
                activities_offered=self.activities_offered,
            )
        )


# --- recommended providers ---------------------------------------------------------------------------
class Program(NamedTuple):
    """A current program at an open location, as the recommendation ranks it."""

    contract_id: str
    program_name: str
    provider_name: str
    location_id: str
    location_name: str
    county: str
    skills: list[str]
    interests: list[str]


class Recommendation(NamedTuple):
    program: Program
    matching_skills: list[str]
    matching_interests: list[str]
    same_county: bool


def recommend(programs: list[Program], skills: list[str], interests: list[str], county: str | None) -> list[Recommendation]:
    """Rule: programs matching more of the customer's skills and interests first, then those in the
    customer's county, then by provider, location and program name."""

    def matching(offered: list[str], wanted: list[str]) -> list[str]:
        wanted_keys = {w.casefold() for w in _terms(wanted)}
        return [term for term in offered if term.casefold() in wanted_keys]

    ranked = [
        Recommendation(
            program,
            matching(program.skills, skills),
            matching(program.interests, interests),
            county is not None and program.county.casefold() == county.casefold(),
        )
        for program in programs
    ]
    return sorted(
        ranked,
        key=lambda r: (
            -(len(r.matching_skills) + len(r.matching_interests)),
            not r.same_county,
            r.program.provider_name.casefold(),
            r.program.location_name.casefold(),
            r.program.program_name.casefold(),
            r.program.contract_id,
        ),
    )
