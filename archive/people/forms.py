"""Forms for person records and for EDI answers (shared with the personal consent link)."""

from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from archive.core.fields import TickField, options
from archive.people.edi import Answers


def with_edi_fields(form_class: type, attributes, whose: str = "your") -> type:
    """Return a subclass of form_class with a choice and a free-text field per EDI question.

    `whose` words the free-text label for who fills it in: "your" or "their".
    """
    fields = {}
    for attribute in attributes:
        fields[f"edi_{attribute.id}"] = SelectField(
            attribute.label,
            coerce=int,
            default=0,
            choices=options(attribute.options, blank="Not answered"),
        )
        fields[f"edi_{attribute.id}_text"] = StringField(
            f"{attribute.label} in {whose} own words (optional)", validators=[Length(max=200)]
        )
    return type(form_class.__name__, (form_class,), fields)


def edi_answers(form, attributes) -> Answers:
    """Read the EDI answers out of a form made by with_edi_fields."""
    return {
        attribute.id: (
            form[f"edi_{attribute.id}"].data or None,
            form[f"edi_{attribute.id}_text"].data or "",
        )
        for attribute in attributes
    }


def fill_edi(form, person, attributes) -> None:
    """Show a person's current EDI answers in a form made by with_edi_fields."""
    for attribute in attributes:
        answer = person.edi_answer(attribute)
        form[f"edi_{attribute.id}"].data = answer.option_id if answer else 0
        form[f"edi_{attribute.id}_text"].data = answer.self_description if answer else ""


class PersonForm(FlaskForm):
    """A person's record, as a curator keeps it."""

    name = StringField(
        "Name", validators=[InputRequired("Enter the person's name."), Length(max=200)]
    )
    email = EmailField("E-mail (for sending their consent link)", validators=[Length(max=254)])
    job_role = SelectField("Job role", coerce=int, default=0)
    department = SelectField("Department", coerce=int, default=0)
    # A child's consent needs a parent or guardian (consent.minors): the birth date also
    # tells the archive when they turn 18; the tick is for when it is not known.
    born_on = DateField(
        "Date of birth (for someone who is or may be under 18)",
        validators=[Optional()],
        render_kw={"autocomplete": "bday"},
    )
    under_18 = TickField("Under 18 (when the date of birth is not known)")
