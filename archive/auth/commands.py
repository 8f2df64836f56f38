"""`flask create-user`: add an account from the command line."""

import sys

import click
from flask import Flask

from archive.auth.models import Role
from archive.auth.services import AccountError, create_user


def init_app(app: Flask) -> None:
    """Register the account command on the app."""
    app.cli.add_command(create_user_command)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", default="", help="Display name (defaults to the e-mail's user part).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email: str, role: str, name: str, password_stdin: bool):
    """Add a user."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, password, Role(role), name)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Added {user.email} as {user.role.value}.")
