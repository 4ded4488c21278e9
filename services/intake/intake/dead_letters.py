"""`python -m intake.dead_letters list|replay|discard [--subject S ...]`: intake's parked events (see isets_kit.dead_letters)."""

from isets_kit.dead_letters import main
from intake.main import create_app

if __name__ == "__main__":
    main(create_app().state.runtime)
