"""Upload and review forms."""

import math

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FloatField,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from archive.core.fields import TEXT, CheckboxesField, LanguageField, options
from archive.photos.regions import Box


class Description(Form):
    """The words that go with a photo: title, caption, alt text and credit."""

    title = StringField("Title", validators=[Length(max=200)], **TEXT)
    caption = TextAreaField("Caption", validators=[Length(max=5000)], **TEXT)
    alt_text = StringField(
        "Alt text",
        description="What the picture shows, for someone who cannot see it.",
        validators=[Length(max=500)],
        **TEXT,
    )
    photographer = StringField("Photographer credit", validators=[Length(max=200)], **TEXT)


class PhotoEntryForm(Description):
    """One photo of an upload and what its contributor says about it."""

    file = FileField("Photo file", render_kw={"accept": "image/*,.heic,.heif"})
    licence = SelectField("Licence", coerce=int, default=0)
    people = CheckboxesField("People shown", coerce=int, validators=[Optional()])
    new_person_name = StringField("Add a person shown", validators=[Length(max=200)], **TEXT)
    new_person_role = SelectField("Their job role", coerce=int)
    new_person_department = SelectField("Their department", coerce=int)
    no_identifiable_people = BooleanField("No identifiable people in this photo")

    def validate(self, extra_validators=None) -> bool:
        """Validate a filled entry; an entry left empty is simply not part of the upload."""
        return self.is_blank() or super().validate(extra_validators)

    def is_blank(self) -> bool:
        """Return whether this entry was left empty (no file and nothing typed)."""
        return not self.file.data and not any(
            (
                self.title.data,
                self.caption.data,
                self.alt_text.data,
                self.new_person_name.data,
            )
        )

    def has_file(self) -> bool:
        """Return whether a file was chosen for this entry."""
        return bool(self.file.data and self.file.data.filename)


class UploadForm(FlaskForm):
    """Several photos at once, plus the signed consent forms of the people shown."""

    # No max_entries: WTForms would silently drop the entries past it. The limit is the
    # instance's MAX_FILES_PER_UPLOAD, refused with a message below.
    photos = FieldList(FormField(PhotoEntryForm), min_entries=3)
    consent_forms = MultipleFileField(
        "Signed consent forms",
        render_kw={"accept": "application/pdf,image/jpeg,image/png"},
        description="PDF, JPEG or PNG scans of the forms signed by the people shown.",
    )

    def validate_photos(self, field) -> None:
        """Refuse more entries than one upload may hold."""
        limit = current_app.config["MAX_FILES_PER_UPLOAD"]
        if len(field.entries) > limit:
            raise ValidationError(f"Upload at most {limit} photos at a time.")

    def set_choices(self, licences, people, job_roles, departments) -> None:
        """Fill every entry's drop-downs from the current vocabularies."""
        for entry in self.photos:
            entry.licence.choices = options(licences)
            entry.people.choices = options(people)
            entry.new_person_role.choices = options(job_roles, blank="—")
            entry.new_person_department.choices = options(departments, blank="—")


class DescriptionForm(FlaskForm, Description):
    """A photo's description, edited on its own, and the language it is written in.

    Its event is offered only to those who may manage events: the view removes the field.
    """

    language = LanguageField("Language of the title, caption and alt text")
    event_id = SelectField("Taken at the event", coerce=int)

    def set_events(self, events) -> None:
        """Offer these events, and none (0)."""
        self.event_id.choices = options(events, lambda event: event.label, blank="No event")
        self.event_id.data = self.event_id.data or 0


class EventForm(FlaskForm):
    """An event photos were taken at, and the notice its attendees were given."""

    title = StringField(
        "Title", validators=[InputRequired("Enter the event's title."), Length(max=200)], **TEXT
    )
    held_on = DateField("Held on", validators=[InputRequired("Enter the day the event was held.")])
    place = StringField("Place", validators=[Length(max=200)], **TEXT)
    organiser = StringField("Organiser", validators=[Length(max=200)], **TEXT)
    notice = TextAreaField(
        "Notice given to attendees",
        description="What attendees were told about photography, e.g. signs at the entrance "
        "and how to opt out.",
        validators=[Length(max=5000)],
        **TEXT,
    )


class ReviewForm(FlaskForm):
    """A curator's decision on a pending photo."""

    job_roles = CheckboxesField("Job roles shown", coerce=int)
    departments = CheckboxesField("Departments", coerce=int)
    licence = SelectField("Licence", coerce=int, default=0)
    note = TextAreaField("Reason (required to reject)", validators=[Length(max=2000)])
    # Shown only when the face check flagged the photo (faces_rule.face_warning).
    faces_checked = BooleanField(
        "I have checked the faces: everyone identifiable is tagged or is not identifiable"
    )
    approve = SubmitField("Approve")
    reject = SubmitField("Reject")

    def set_choices(self, job_roles, departments, licences) -> None:
        """Offer the vocabularies as tags and the licences, with no licence chosen at first."""
        self.job_roles.choices = options(job_roles)
        self.departments.choices = options(departments)
        self.licence.choices = options(licences, blank="— choose a licence —")

    def tag_ids(self) -> list[int]:
        """Return the ids of every term ticked."""
        return [*self.job_roles.data, *self.departments.data]


class ApproveSelectedForm(FlaskForm):
    """The photos a curator ticked on the queue to approve at once."""

    # Not checked against the choices: a photo another curator decided meanwhile is
    # refused by the approval itself, with its reason, not as "not a valid choice".
    photos = SelectMultipleField("Select", coerce=int, validate_choice=False)
    approve = SubmitField("Approve selected")


class PercentField(FloatField):
    """A share of the picture's width or height, in percent (0 to 100, decimals allowed)."""

    def __init__(self, label: str, in_words: str, *, of: str = "the region", **kwargs):
        super().__init__(
            label,
            validators=[InputRequired(f"Give the {in_words} of {of}, in % of the picture.")],
            render_kw={"type": "number", "min": 0, "max": 100, "step": "any"},
            **kwargs,
        )
        self.name_in_words = in_words

    def process_formdata(self, valuelist):
        """Read the number, refusing in words what is none (WTForms' own says "float")."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(f"The {self.name_in_words} must be a number, such as 12.5.") from None
        if self.data is not None and not (math.isfinite(self.data) and 0 <= self.data <= 100):
            self.data = None
            raise ValueError(f"The {self.name_in_words} must be between 0 and 100 %.")


class BlurForm(FlaskForm):
    """A region of a photo to blur, in % of the upright picture: where a bystander is."""

    left = PercentField("From the left edge (%)", "distance from the left edge")
    top = PercentField("From the top edge (%)", "distance from the top edge")
    width = PercentField("Width (%)", "width")
    height = PercentField("Height (%)", "height")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "blur")
        super().__init__(*args, **kwargs)

    def validate_width(self, field) -> None:
        """Refuse a region of no width, or one reaching past the right edge."""
        _within(field, self.left.data, "right")

    def validate_height(self, field) -> None:
        """Refuse a region of no height, or one reaching past the bottom edge."""
        _within(field, self.top.data, "bottom")

    def box(self) -> Box:
        """Return the region as a box, once the form validated."""
        return Box(
            self.left.data / 100, self.top.data / 100, self.width.data / 100, self.height.data / 100
        )


class FocalPointForm(FlaskForm):
    """Where on a photo its crops centre, in % of the upright picture: the subject of the photo."""

    x = PercentField("Across from the left edge (%)", "distance from the left edge", of="the point")
    y = PercentField("Down from the top edge (%)", "distance from the top edge", of="the point")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "focal")
        super().__init__(*args, **kwargs)

    def point(self) -> tuple[float, float]:
        """Return the point as fractions of the picture, once the form validated."""
        return self.x.data / 100, self.y.data / 100


def _within(field: PercentField, start: float | None, edge: str) -> None:
    if field.data is None:
        return
    if field.data <= 0:
        raise ValidationError(f"The {field.name_in_words} must be more than 0 %.")
    if start is not None and (start >= 100 or start + field.data > 100):
        raise ValidationError(
            f"The region reaches past the picture's {edge} edge: its start and "
            f"{field.name_in_words} add up to more than 100 %."
        )
