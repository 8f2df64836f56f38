"""Accounts: users, roles, login and the user admin pages."""

from flask import Flask
from flask_login import current_user

from archive.auth.access import can
from archive.auth.navigation import navigation


def init_app(app: Flask) -> None:
    """Let every template ask can('action') and build the main navigation for its viewer."""

    @app.context_processor
    def _access() -> dict:
        return {
            "can": lambda action, obj=None: can(current_user, action, obj),
            "navigation": lambda: navigation(current_user),
        }
