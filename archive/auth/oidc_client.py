"""The archive's client of the institution's OpenID Connect provider (Authlib)."""

import secrets

from authlib.common.urls import add_params_to_uri
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError
from requests import RequestException
from werkzeug.wrappers import Response

from archive.auth.models import Role

CLIENT_NAME = "institution"
EXTENSION = "archive.oidc_client"
# The session key of the ID token a sign-in brought: logging out hands it back to the provider.
ID_TOKEN = "sso_id_token"  # noqa: S105 - a session key, no secret
STALE = "This sign-in link is no longer valid: start again from the login page."
UNREACHABLE = (
    "The institution's sign-in service could not be reached. Try again in a few minutes, "
    "or ask its administrators whether it is down."
)


class SignInRefused(Exception):
    """A sign-in through the provider did not complete; the message says why to a person."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def oidc_configured(app: Flask | None = None) -> bool:
    """Return whether single sign-on is set up: issuer, client id and secret all given."""
    config = (app or current_app).config
    return all(config.get(f"OIDC_{name}") for name in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET"))


def check_oidc_settings(app: Flask) -> None:
    """Raise RuntimeError if OIDC_ROLE_MAPPING gives a role the archive does not have."""
    mapping = app.config["OIDC_ROLE_MAPPING"]
    if not isinstance(mapping, dict) or not {*mapping.values()} <= {role.value for role in Role}:
        roles = ", ".join(role.value for role in Role)
        raise RuntimeError(
            "ARCHIVE_OIDC_ROLE_MAPPING must be a JSON object from group to role, e.g. "
            f'{{"archive-curators": "curator"}}, each role one of: {roles}'
        )


def provider_client():
    """Return the app's Authlib client, made on first use from the OIDC_* settings.

    Making it reads no network: the provider's metadata is fetched from its discovery
    document when a sign-in first needs it (and kept for the process), so the archive
    starts even while the provider is down.
    """
    app = current_app
    client = app.extensions.get(EXTENSION)
    if client is None:
        config = app.config
        issuer = config["OIDC_ISSUER"].rstrip("/")
        client = OAuth(app).register(
            CLIENT_NAME,
            client_id=config["OIDC_CLIENT_ID"],
            client_secret=config["OIDC_CLIENT_SECRET"],
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            # S256: a stolen authorisation code is useless without the verifier in our session.
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
        )
        app.extensions[EXTENSION] = client
    return client


def start_sign_in(callback: str) -> Response:
    """Redirect to the provider's sign-in, with fresh state, nonce and PKCE challenge.

    Authlib keeps the three in the session, for finish_sign_in to check the answer with.
    Raise SignInRefused (502) when the provider cannot be reached.
    """
    try:
        return provider_client().authorize_redirect(callback, nonce=secrets.token_urlsafe(24))
    except RequestException:
        raise SignInRefused(UNREACHABLE, 502) from None


def finish_sign_in() -> tuple[dict, str]:
    """Return the claims of the verified ID token the provider's answer leads to, and it.

    The answer must carry the state this session was given (else it is a stale or forged
    link), the provider must swap its code for tokens against our PKCE verifier, and the
    ID token must be signed by the provider, for this client, with this session's nonce.
    Raise SignInRefused otherwise.
    """
    client = provider_client()
    try:
        token = client.authorize_access_token()
    except MismatchingStateError:
        raise SignInRefused(STALE) from None
    except OAuthError as error:
        # access_denied: the person said no, or the provider does not let them use the archive.
        raise SignInRefused(
            f"The institution's sign-in did not let you in ({error.error}). Start again from "
            "the login page, or ask its administrators whether you may use the archive."
        ) from None
    except JoseError:  # a bad signature, audience, expiry or nonce
        raise SignInRefused(STALE) from None
    except RequestException:
        raise SignInRefused(UNREACHABLE, 502) from None
    if "userinfo" not in token:
        raise SignInRefused("The institution's sign-in sent no ID token; ask an admin.")
    return dict(token["userinfo"]), token["id_token"]


def end_session_url(id_token: str, after: str) -> str | None:
    """Return the provider's end-session URL for this ID token, or None if it has none.

    None too when the provider cannot be reached: the archive's own session is over anyway.
    """
    try:
        endpoint = provider_client().load_server_metadata().get("end_session_endpoint")
    except RequestException:
        return None
    if not endpoint:
        return None
    return add_params_to_uri(
        endpoint, [("id_token_hint", id_token), ("post_logout_redirect_uri", after)]
    )
