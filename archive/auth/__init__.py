"""Accounts: users, roles, login and the user admin pages."""

from flask import Flask
from flask_login import current_user

from archive.auth.access import can
from archive.auth.navigation import navigation
from archive.auth.oidc_client import check_oidc_settings


def init_app(app: Flask) -> None:
    """Let every template ask can('action') and build the main navigation for its viewer.

    Refuse to start with an OIDC_ROLE_MAPPING naming a role that does not exist.
    """
    check_oidc_settings(app)

    @app.context_processor
    def _access() -> dict:
        return {
            "can": lambda action, obj=None: can(current_user, action, obj),
            "navigation": lambda: navigation(current_user),
        }
