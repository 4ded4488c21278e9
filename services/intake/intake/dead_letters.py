"""`python -m intake.dead_letters list|replay [--record P:O]`: intake's dead letters (see isets_kit.dead_letters)."""

from isets_kit.dead_letters import main
from intake.adapters.orm import inbox
from intake.main import Settings

if __name__ == "__main__":
    main("intake", Settings(), inbox)
