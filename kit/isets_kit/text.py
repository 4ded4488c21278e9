"""Text taken from outside (HTTP inputs): no NUL and no other control character.

PostgreSQL refuses NUL in text, and no field of ours means to hold control characters; free text may
keep tab and newline. Rejected at the edge with a rule that names what is wrong, never the value."""

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

# C0 and C1 control characters and DEL; tab and newline are allowed where free text says so.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_TAB_AND_NEWLINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CONTROL_CHARACTER_RULE = "contains a control character"
FREE_TEXT_CONTROL_CHARACTER_RULE = "contains a control character (only tab and newline are allowed)"


def has_control_character(value: str) -> bool:
    return _CONTROL.search(value) is not None


def _plain(value: str) -> str:
    if _CONTROL.search(value):
        raise PydanticCustomError("control_character", CONTROL_CHARACTER_RULE)
    return value


def _free(value: str) -> str:
    if _CONTROL_BUT_TAB_AND_NEWLINE.search(value):
        raise PydanticCustomError("control_character", FREE_TEXT_CONTROL_CHARACTER_RULE)
    return value


def plain_text(max_length: int, min_length: int = 1):
    """One line of text (a name, an id, a filter), surrounding blanks stripped."""
    return Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length), AfterValidator(_plain)
    ]


def free_text(max_length: int, min_length: int = 1):
    """Text a person writes (a reason, a note): tab and newline allowed."""
    return Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length), AfterValidator(_free)
    ]
