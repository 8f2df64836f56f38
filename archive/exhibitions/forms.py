"""The exhibition builder's forms."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from archive.core.fields import TEXT, LanguageField, TickField
from archive.exhibitions.models import ExhibitionUse, Visibility

VISIBILITY_CHOICES = [
    SelectChoice(Visibility.PUBLIC.value, "Public: listed and open to everyone"),
    SelectChoice(Visibility.UNLISTED.value, "Unlisted: only with its secret link"),
    SelectChoice(Visibility.INTERNAL.value, "Internal: logged-in staff only"),
]
USE_CHOICES = [
    SelectChoice(ExhibitionUse.WEB.value, "A web gallery"),
    SelectChoice(
        ExhibitionUse.PHYSICAL.value, "A physical exhibition or kiosk (online too, if published)"
    ),
    SelectChoice(ExhibitionUse.INTERNAL.value, "An internal gallery for staff"),
]


class ExhibitionForm(FlaskForm):
    """An exhibition's title, address, texts and visibility."""

    title = StringField(
        "Title",
        validators=[InputRequired("Enter a title for the exhibition."), Length(max=200)],
    )
    slug = StringField("Address (letters, digits, hyphens)", validators=[Length(max=80)])
    summary = TextAreaField("Summary (one or two sentences)", validators=[Length(max=1000)])
    body = TextAreaField(
        "Introduction",
        description="Markdown: *emphasis*, **strong**, [links](https://…), headings, lists.",
    )  # its length limit is a setting, INTRODUCTION_MAX_CHARS, checked when it is saved
    language = LanguageField("Language of the title, summary, introduction and captions")
    use = SelectField(
        "Where it is shown",
        choices=USE_CHOICES,
        default=ExhibitionUse.WEB.value,
        description="Each person shown needs consent to that use, and to the web if it is "
        "published publicly; a kiosk export always needs consent to physical exhibitions.",
    )
    visibility = SelectField("Who can see it online", choices=VISIBILITY_CHOICES)
    about_identity = TickField(
        "This exhibition is about identity (e.g. women in technical roles)",
        description="It then shows only people who agreed to be featured in exhibitions "
        "about identity. A smart rule on EDI answers, or a title naming one, counts anyway.",
    )
    smart_rule = StringField(
        "Smart rule (optional)",
        description='A search that proposes photos, e.g. gender:woman or role:"apprentice".',
        validators=[Length(max=500)],
        **TEXT,
    )


class ItemForm(FlaskForm):
    """A curator's caption and alt text for one item, overriding the photo's own."""

    caption = TextAreaField("Caption in this exhibition", validators=[Length(max=5000)], **TEXT)
    alt_text = StringField("Alt text in this exhibition", validators=[Length(max=500)], **TEXT)
    section = StringField("Section heading before this item", validators=[Length(max=200)], **TEXT)


def item_form(item) -> ItemForm:
    """Return the item's form, its alt-text field saying what a blank one falls back to."""
    form = ItemForm(obj=item, prefix=f"item{item.id}")
    own = item.photo.alt_text.strip()
    if own:
        form.alt_text.render_kw = {"placeholder": own}
        form.alt_text.description = f"Leave blank to use the photo's own: “{own}”"
    else:
        form.alt_text.description = (
            "The photo has no alt text of its own: write one here, or publishing is refused."
        )
    return form
