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
from wtforms.validators import DataRequired, Length

from archive.auth.models import Role

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
        description="At least 10 characters, not your e-mail address, hard to guess: "
        "a few uncommon words together work well.",
        validators=[DataRequired("Enter the new password you want to use."), Length(max=200)],
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
