"""A request's query parameters read strictly: one that cannot be used is refused, by name.

A page number of 0 or "abc" quietly read as 1 hands a program the wrong page without a
word; a 400 saying which parameter and why lets its author fix the call.
"""

import re
from collections.abc import Collection, Mapping

from werkzeug.exceptions import BadRequest

_DIGITS = re.compile(r"[0-9]+")
# Larger numbers name no page; and Python refuses to read a number of thousands of digits.
_LARGEST = 999_999_999


class Refusal(BadRequest):
    """A 400 whose description is a sentence for whoever asked; error_code names the kind."""

    error_code = "bad_request"


class InvalidParameter(Refusal):
    """A query parameter that cannot be used; the description names it and says why."""

    error_code = "invalid_parameter"


def whole_number(
    args: Mapping[str, str], name: str, default: int, maximum: int | None = None
) -> int:
    """Return the parameter as a whole number from 1 to maximum; default when absent or blank."""
    given = args.get(name, "")
    if given == "":  # a form's empty field
        return default
    digits = given.lstrip("0")
    if not _DIGITS.fullmatch(given) or not digits:
        raise InvalidParameter(f"{name} must be a whole number of 1 or more, not “{given[:40]}”.")
    largest = _LARGEST if maximum is None else maximum
    if len(digits) > len(str(_LARGEST)) or int(digits) > largest:
        raise InvalidParameter(f"{name} may be at most {largest}, not {given[:40]}.")
    return int(digits)


def one_of(args: Mapping[str, str], name: str, choices: Collection[str], default: str) -> str:
    """Return the parameter if it is one of the choices; default when absent or blank."""
    given = args.get(name, "")
    if given == "":
        return default
    if given not in choices:
        raise InvalidParameter(f"{name} must be one of {', '.join(choices)}, not “{given[:40]}”.")
    return given
