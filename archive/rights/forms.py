"""Recording what a consent form grants."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from archive.core.fields import CheckboxesField, TickField, options
from archive.rights.models import ConsentScope

SCOPE_CHOICES = [SelectChoice(scope.value, scope.label) for scope in ConsentScope]
# Paper forms signed before the archive asked about identity exhibitions never granted it.
RECORDED_SCOPES_HELP = (
    f"Tick “{ConsentScope.IDENTITY.label}” only if the signed form itself grants it."
)


class ConsentRecordForm(FlaskForm):
    """A curator records whose consent form this is and what it grants."""

    person = SelectField("Person who signed", coerce=int, validators=[InputRequired()])
    scopes = CheckboxesField(
        "Uses agreed to", choices=SCOPE_CHOICES, description=RECORDED_SCOPES_HELP
    )
    signed_on = DateField("Signed on", validators=[InputRequired()])
    expires_on = DateField("Expires on (leave blank if it does not)", validators=[Optional()])

    def set_people(self, people) -> None:
        """Offer these people as the signatory."""
        self.person.choices = options(people)


class SelfServiceForm(FlaskForm):
    """What a person answers through their personal consent link (EDI fields are added)."""

    scopes = CheckboxesField(
        "I agree that photographs of me may be used for",
        choices=SCOPE_CHOICES,
        description="An exhibition about identity, such as one about women in technical "
        "roles, tells its visitors something about the people in it. You are shown in one "
        "only if you tick it, and its caption may name you.",
    )
    typed_name = StringField(
        "Type your full name to confirm", validators=[InputRequired(), Length(max=200)]
    )
    forget_edi = TickField("Forget all the answers about me I gave before")


class DownloadForm(FlaskForm):
    """Comms staff choose a size, state the purpose and accept the licence."""

    size = SelectField("Size")
    purpose = TextAreaField(
        "What will the photo be used for?",
        validators=[InputRequired(), Length(max=1000)],
        description="For example: the staff newsletter, March issue.",
    )
    accept = TickField(
        "I accept the licence terms and will use the credit line shown",
        validators=[DataRequired("Accept the licence terms to download.")],
    )


class LicenceForm(FlaskForm):
    """An admin adds or edits a licence."""

    code = StringField("Code", validators=[InputRequired(), Length(max=40)])
    name = StringField("Name", validators=[InputRequired(), Length(max=120)])
    terms = TextAreaField("Terms", validators=[Length(max=5000)])
    url = StringField("Web address of the licence text (optional)", validators=[Length(max=300)])
    credit_template = StringField(
        "Credit line",
        validators=[InputRequired(), Length(max=300)],
        description="Use {photographer} and {institution} where they belong.",
    )
