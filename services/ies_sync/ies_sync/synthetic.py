"""Deterministic synthetic IES extracts for the demo, the tests and the benchmark.

    python -m ies_sync.synthetic OUT.csv --rows 200000 --seed 1 [--changed 0.05 --change-seed 2] [--malformed 0.001]

The same arguments always give the same file. `--changed` alters that share of people (phone, address,
SNAP eligibility) against the file made with the same seed and no `--changed`, with a later as-of.
`--malformed` breaks that share of rows (bad date, missing individual number, full SSN).
"""

import argparse
import csv
import random
import sys
from datetime import UTC, date, datetime, timedelta
from typing import TextIO

from ies_sync.domain import COLUMNS

FIRST = ["Tom", "Maria", "James", "Aisha", "Luis", "Keisha", "Dmitri", "Mei", "Olga", "Jamal", "Rosa", "Ethan"]
LAST = ["Juan", "Smith", "Garcia", "Johnson", "Nguyen", "Brown", "Patel", "Kowalski", "Williams", "Lopez"]
COUNTIES = [("Cook", "Chicago"), ("Sangamon", "Springfield"), ("Peoria", "Peoria"), ("Champaign", "Champaign"),
            ("Winnebago", "Rockford"), ("St. Clair", "Belleville"), ("Madison", "Alton"), ("Macon", "Decatur")]
STREETS = ["Main St", "Oak Ave", "Lincoln Hwy", "State St", "Washington Blvd", "Maple Dr"]
ELIGIBILITY = ["Yes", "Yes", "Yes", "Pending Application", "No"]
BASE_AS_OF = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
FIRST_INDIVIDUAL_NUMBER = 100_000_000


def person(index: int, seed: int, first_number: int = FIRST_INDIVIDUAL_NUMBER) -> dict[str, str]:
    rng = random.Random(f"{seed}:{index}")
    first, last = rng.choice(FIRST), rng.choice(LAST)
    county, city = rng.choice(COUNTIES)
    redetermination = date(2027, 1, 1) + timedelta(days=rng.randrange(365))
    return {
        "individual_number": str(first_number + index),
        "snap_case_number": f"{rng.randrange(10**8, 10**9)}",
        "first_name": first,
        "last_name": last,
        "date_of_birth": (date(1960, 1, 1) + timedelta(days=rng.randrange(16000))).isoformat(),
        "ssn_last4": f"{rng.randrange(10000):04d}",
        "email": f"{first}.{last}{index}@example.org".lower(),
        "phone": f"217-555-{rng.randrange(10000):04d}",
        "address_line1": f"{rng.randrange(1, 9999)} {rng.choice(STREETS)}",
        "address_line2": "",
        "city": city,
        "state": "IL",
        "zip": f"6{rng.randrange(10000):04d}",
        "county": county,
        "dhs_office": f"{county} County FCRC",
        "snap_eligibility_status": rng.choice(ELIGIBILITY),
        "redetermination_date": redetermination.isoformat(),
        "midpoint_date": (redetermination - timedelta(days=182)).isoformat(),
        "as_of": BASE_AS_OF.isoformat(),
    }


def _change(row: dict[str, str], rng: random.Random) -> None:
    row["phone"] = f"312-555-{rng.randrange(10000):04d}"
    row["address_line1"] = f"{rng.randrange(1, 9999)} {rng.choice(STREETS)}"
    row["snap_eligibility_status"] = rng.choice(ELIGIBILITY)
    row["as_of"] = (BASE_AS_OF + timedelta(days=7)).isoformat()


def _break(row: dict[str, str], rng: random.Random) -> None:
    breakage = rng.randrange(3)
    if breakage == 0:
        row["date_of_birth"] = "1990-13-45"
    elif breakage == 1:
        row["individual_number"] = ""
    else:
        row["ssn_last4"] = "123-45-6789"


def write_extract(
    out: TextIO,
    rows: int,
    seed: int = 1,
    changed: float = 0.0,
    change_seed: int = 2,
    malformed: float = 0.0,
    first_number: int = FIRST_INDIVIDUAL_NUMBER,
) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for index in range(rows):
        row = person(index, seed, first_number)
        if changed and random.Random(f"change:{change_seed}:{index}").random() < changed:
            _change(row, random.Random(f"changed-values:{change_seed}:{index}"))
        if malformed and random.Random(f"malformed:{seed}:{index}").random() < malformed:
            _break(row, random.Random(f"broken-values:{seed}:{index}"))
        writer.writerow(row)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", help="output CSV path, or - for stdout")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--changed", type=float, default=0.0, help="share of people changed (0..1)")
    parser.add_argument("--change-seed", type=int, default=2)
    parser.add_argument("--malformed", type=float, default=0.0, help="share of malformed rows (0..1)")
    parser.add_argument("--first-number", type=int, default=FIRST_INDIVIDUAL_NUMBER, help="first individual number")
    args = parser.parse_args(argv)
    options = dict(
        rows=args.rows,
        seed=args.seed,
        changed=args.changed,
        change_seed=args.change_seed,
        malformed=args.malformed,
        first_number=args.first_number,
    )
    if args.out == "-":
        write_extract(sys.stdout, **options)
    else:
        with open(args.out, "w", newline="") as out:
            write_extract(out, **options)


if __name__ == "__main__":
    main()
