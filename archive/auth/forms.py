"""Login and user-admin forms."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length

from archive.auth.models import Role

# What auth.services.check_password_rules asks of a new password, in a person's words.
CHOOSING_ADVICE = (
    "At least 10 characters, not your e-mail address, hard to guess: "
    "a few uncommon words together work well."
)
ROLE_CHOICES = [SelectChoice(role.value, role.value.capitalize()) for role in Role]


class LoginForm(FlaskForm):
    """E-mail and password."""

    # Browsers and password managers fill what autocomplete names (WCAG 1.3.5).
    email = EmailField(
        "E-mail",
        validators=[DataRequired("Enter the e-mail address you log in with."), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password."), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me logged in on this device")


class PasswordForm(FlaskForm):
    """A user changes their own password."""

    current = PasswordField(
        "Current password",
        validators=[DataRequired("Enter the password you use now."), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        "New password",
        description=CHOOSING_ADVICE,
        validators=[DataRequired("Enter the new password you want to use."), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class ResetRequestForm(FlaskForm):
    """Someone who forgot their password asks for a reset link."""

    email = EmailField(
        "E-mail",
        description="The address you log in with.",
        validators=[DataRequired("Enter the e-mail address you log in with."), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )


class NewPasswordForm(FlaskForm):
    """The new password, typed twice, chosen from a reset link."""

    new = PasswordField(
        "New password",
        description=CHOOSING_ADVICE,
        validators=[DataRequired("Enter the new password you want to use."), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )
    again = PasswordField(
        "New password again",
        validators=[
            DataRequired("Type the new password a second time."),
            EqualTo("new", "The two passwords are not the same: type the same one in both."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class NewUserForm(FlaskForm):
    """An admin adds a user."""

    email = EmailField(
        "E-mail",
        validators=[DataRequired("Enter the new user's e-mail address."), Length(max=254)],
    )
    name = StringField(
        "Name", validators=[DataRequired("Enter the new user's name."), Length(max=200)]
    )
    role = SelectField("Role", choices=ROLE_CHOICES)
    password = PasswordField(
        "Initial password",
        validators=[DataRequired("Enter a first password for the new user."), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class EditUserForm(FlaskForm):
    """An admin changes a user's role or disables the account."""

    role = SelectField("Role", choices=ROLE_CHOICES)
    active = BooleanField("Account active")


class SsoPolicyForm(FlaskForm):
    """An admin requires single sign-on of everyone but admins, or stops requiring it."""

    required = BooleanField(
        "Only admins may log in with a password; everyone else signs in through the institution"
    )
