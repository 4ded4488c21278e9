"""`python -m casemgmt.outbox list|retry|discard [--id N]`: casemgmt's parked outbox rows (see isets_kit.outbox)."""

from isets_kit.outbox import main
from casemgmt.adapters.orm import outbox
from casemgmt.main import Settings

if __name__ == "__main__":
    main("casemgmt", Settings(), outbox)
