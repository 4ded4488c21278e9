"""`python -m casemgmt.dead_letters list|replay|discard [--subject S ...]`: casemgmt's parked events (see isets_kit.dead_letters)."""

from isets_kit.dead_letters import main
from casemgmt.main import create_app

if __name__ == "__main__":
    main(create_app().state.runtime)
