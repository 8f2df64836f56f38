"""Form fields shared by several features."""

from wtforms import SelectMultipleField, widgets


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of tick boxes (easier than a multi-select on phones)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def add_error(field, message: str) -> None:
    """Attach an error found after validation (WTForms leaves unvalidated fields a tuple)."""
    field.errors = [*field.errors, message]
