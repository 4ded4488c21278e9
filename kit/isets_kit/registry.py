"""The service registry: every service of the system, read from services.toml (in start order).

`ISETS_SERVICES_FILE=<path>` reads another file instead. Standard library only, so the shell scripts
can run it with the machine's python3 before any virtualenv exists:

    python3 kit/isets_kit/registry.py packages     # package directories, one a line
    python3 kit/isets_kit/registry.py names        # service names, in start order
"""

import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

BUILT_IN = Path(__file__).with_name("services.toml")
FIRST_PORT = 8100  # the gateway's; other ports and test ports are counted from it


@dataclass(frozen=True)
class Service:
    name: str
    package: str
    module: str
    port: int
    env_prefix: str
    messaging: bool
    topic: str | None = None


def registry_file() -> Path:
    return Path(os.environ.get("ISETS_SERVICES_FILE") or BUILT_IN)


def services() -> tuple[Service, ...]:
    """Every service, in start order."""
    with registry_file().open("rb") as file:
        return tuple(Service(**entry) for entry in tomllib.load(file)["service"])


def service(name: str) -> Service:
    for entry in services():
        if entry.name == name:
            return entry
    raise KeyError(f"no service {name!r} in {registry_file()}")


def main(command: str) -> None:
    if command == "packages":
        print("\n".join(entry.package for entry in services()))
    elif command == "names":
        print("\n".join(entry.name for entry in services()))
    else:
        sys.exit(f"usage: {sys.argv[0]} packages|names")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
