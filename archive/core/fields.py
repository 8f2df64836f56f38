"""Form fields shared by several features."""

from collections.abc import Callable, Iterable

from flask import current_app
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    widgets,
)


def stripped(value: str | None) -> str:
    """Turn a missing or padded text field into a clean string."""
    return (value or "").strip()


# Keyword arguments for text fields: never None, never padded.
TEXT = {"filters": [stripped]}


# What a ticked box or a client meaning "yes" posts; anything else ("false", "0", "off") is no.
_TRUE_VALUES = frozenset({"y", "yes", "on", "true", "1"})


class TickField(BooleanField):
    """A checkbox that counts as ticked only when a true value was posted.

    WTForms' BooleanField takes any posted value but "false" and "" as ticked, so "0" or
    "off" from a script would accept a licence or erase a person's originals.
    """

    def process_formdata(self, valuelist: list[str]) -> None:
        """Set data from what was posted: True for a true value only."""
        self.data = bool(valuelist) and str(valuelist[0]).strip().casefold() in _TRUE_VALUES


class LanguageField(SelectField):
    """The language a text is written in: one of TEXT_LANGUAGES, or "" for not set."""

    def __init__(self, label: str = "Language of these texts", **kwargs):
        super().__init__(label, choices=_language_choices, default="", **kwargs)


def _language_choices() -> list[SelectChoice]:
    languages = current_app.config["TEXT_LANGUAGES"]
    return [SelectChoice("", "Not set")] + [SelectChoice(tag, name) for tag, name in languages]


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of tick boxes (easier than a multi-select on phones)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def options(
    items: Iterable, label: Callable[[object], str] = str, blank: str | None = None
) -> list[SelectChoice]:
    """Return select options for rows: each row's id as value, label(row) as text.

    With `blank`, a first option of value 0 stands for "none chosen".
    """
    choices = [SelectChoice(0, blank)] if blank else []
    return choices + [SelectChoice(item.id, label(item)) for item in items]


def add_error(field, message: str) -> None:
    """Attach an error found after validation (WTForms leaves unvalidated fields a tuple)."""
    field.errors = [*field.errors, message]


def sentence(reason: object) -> str:
    """Turn a reason such as "the file is empty" into "The file is empty." for a form."""
    text = str(reason)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def form_problems(*forms) -> list[tuple[str, str]]:
    """Return (control id, message) for every error of the forms, in page order.

    For a group of tick boxes the id is its first box's, since the group itself takes no
    focus; a list's own error (too many entries) names the list, whose element has its id.
    """
    found: list[tuple[str, str]] = []
    for form in forms:
        if form is not None:
            for f in form:
                found.extend(_field_problems(f))
    return found


def _field_problems(f) -> list[tuple[str, str]]:
    if isinstance(f, FieldList):
        own = [(f.id, error) for error in f.errors if isinstance(error, str)]
        return own + [p for entry in f.entries for p in _field_problems(entry)]
    if isinstance(f, FormField):
        return form_problems(f.form)
    target = f"{f.id}-0" if isinstance(f, RadioField | CheckboxesField) else f.id
    return [(target, error) for error in f.errors if isinstance(error, str)]
