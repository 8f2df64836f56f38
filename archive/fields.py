"""Form fields shared by several features."""

from collections.abc import Callable, Iterable

from wtforms import SelectChoice, SelectMultipleField, widgets


def stripped(value: str | None) -> str:
    """Turn a missing or padded text field into a clean string."""
    return (value or "").strip()


# Keyword arguments for text fields: never None, never padded.
TEXT = {"filters": [stripped]}


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
