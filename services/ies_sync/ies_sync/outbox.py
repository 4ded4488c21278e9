"""`python -m ies_sync.outbox list|retry|discard [--id N]`: ies_sync's parked outbox rows (see isets_kit.outbox)."""

from isets_kit.outbox import main
from ies_sync.adapters.orm import outbox
from ies_sync.main import Settings

if __name__ == "__main__":
    main("ies_sync", Settings(), outbox)
