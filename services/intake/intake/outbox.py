"""`python -m intake.outbox list|retry|discard [--id N]`: intake's parked outbox rows (see isets_kit.outbox)."""

from isets_kit.outbox import main
from intake.adapters.orm import outbox
from intake.main import Settings

if __name__ == "__main__":
    main("intake", Settings(), outbox)
