"""The curators' form for a person's career profile."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from archive.core.fields import TEXT, CheckboxesField, TickField


class ProfileForm(FlaskForm):
    """A profile's headline, story, photos and whether it is published."""

    headline = StringField(
        "Role or headline",
        description="Left empty, the profile shows the person's job role.",
        validators=[Length(max=200, message="Keep the headline to 200 characters or fewer.")],
        **TEXT,
    )
    story = TextAreaField(
        "Their story, in their own words",
        description="Markdown: *emphasis*, **strong**, [links](https://…), headings, lists.",
    )  # its length limit is services.STORY_MAX_CHARS, checked when it is saved
    photos = CheckboxesField(
        "Photos of them to show",
        coerce=int,
        description="Only those cleared for the public web on the day are shown.",
    )
    published = TickField(
        "Published",
        description="Visitors see it only while the person also agrees to a public career "
        "profile, is 18 or over, and is not erased.",
    )
