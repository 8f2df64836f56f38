"""Response headers that keep the archive's pages from being framed, sniffed, injected or kept."""

from collections.abc import Callable
from functools import cache
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from flask_login import current_user

from archive.auth.access import Action, can

View = TypeVar("View", bound=Callable)

_NO_STORE = "archive_no_store"


def no_store(view: View) -> View:
    """Mark a view whose pages show EDI answers: no browser or proxy may keep a copy."""
    setattr(view, _NO_STORE, lambda: True)
    return view


def no_store_for(action: Action) -> Callable[[View], View]:
    """Mark a view whose pages show EDI answers only to those who may do the action.

    A curator's `gender:woman` search lists who answered what; a visitor's page of the same
    view holds nothing of the kind and may still be kept.
    """

    def mark(view: View) -> View:
        setattr(view, _NO_STORE, lambda: can(current_user, action))
        return view

    return mark


def readable_by_any_site(response: Response) -> Response:
    """Let scripts on any site read the response: IIIF viewers, partners' pages, the API.

    Only for what a visitor who is not signed in may see: a browser sends no cookies with
    such a request, so the answer it gets is always a visitor's (a view that answers
    differently when signed in must not call this for a signed-in caller).
    """
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@cache
def content_security_policy(
    image_origin: str | None = None, sign_in_origin: str | None = None
) -> str:
    """Return the policy: every script and style is a file of this site, so no inline code runs.

    image_origin is the file store's, when images are fetched from it by presigned links.
    blob: is the upload page's previews of files still on the person's own device.
    sign_in_origin is the OpenID Connect provider's: logging out (a form) is redirected
    there to end the provider's session too, and form-action governs that redirect.
    """
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            " ".join(["img-src 'self' data: blob:", *([image_origin] if image_origin else [])]),
            "object-src 'none'",
            "base-uri 'self'",
            " ".join(["form-action 'self'", *([sign_in_origin] if sign_in_origin else [])]),
            "frame-ancestors 'none'",
        ]
    )


def init_app(app: Flask) -> None:
    """Add the security headers to every response (a view may set stricter ones itself).

    Responses of views marked no_store, error pages included, get Cache-Control: no-store.
    """
    image_origin = app.extensions["archive_storage"].browser_origin

    @app.after_request
    def _secure_headers(response: Response) -> Response:
        headers = response.headers
        policy = content_security_policy(image_origin, _origin(current_app.config["OIDC_ISSUER"]))
        headers.setdefault("Content-Security-Policy", policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        # The view the URL matched, as registered: no_store sits on top of its decorators.
        never_kept = getattr(current_app.view_functions.get(request.endpoint), _NO_STORE, None)
        if never_kept is not None and never_kept():
            headers["Cache-Control"] = "no-store"
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def _origin(url: str | None) -> str | None:
    """Return scheme://host[:port] of a URL, or None for none."""
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
