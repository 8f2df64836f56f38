"""Technicians' Archive: the digital archive of a technician photography project."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

from archive.config import PROJECT_ROOT, instance_path, load_config
from archive.core.database import WriteBusy
from archive.core.fields import form_problems
from archive.core.parameters import Refusal
from archive.logs import RouteLoggingFlask


def create_app(config: dict | None = None) -> Flask:
    """Create the app: configuration, extensions, blueprints, error pages and commands."""
    # The instance folder and the top-level templates/ and static/ are named explicitly so an
    # installed package finds them too (Flask would otherwise look beside the package).
    app = RouteLoggingFlask(
        __name__,
        instance_path=str((config or {}).get("INSTANCE_PATH") or instance_path()),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    load_config(app, config)
    if app.config["PROXY_FIX"]:
        # The client's address (rate limits, logs) and scheme then come from the proxy's
        # X-Forwarded-* headers; absolute links still come from PUBLIC_URL alone.
        app.wsgi_app = ProxyFix(app.wsgi_app, **app.config["PROXY_FIX"])

    from archive.core.spooling import SpoolingRequest

    app.request_class = SpoolingRequest

    from archive import (
        auth,
        batch,
        consent,
        downloads,
        exhibitions,
        logs,
        mail,
        notices,
        page_cache,
        photos,
        search,
        security,
        storage,
    )
    from archive.auth.services import user_for_session
    from archive.core import database, formatting
    from archive.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.session_protection = "strong"

    login_manager.user_loader(user_for_session)
    auth.init_app(app)

    storage.init_app(app)
    mail.init_app(app)
    photos.init_app(app)
    consent.init_app(app)
    downloads.init_app(app)
    formatting.init_app(app)
    app.add_template_global(form_problems)
    search.init_app(app)
    exhibitions.init_app(app)
    batch.init_app(app)
    notices.init_app(app)
    page_cache.init_app(app)
    security.init_app(app)
    logs.init_app(app)

    from archive.auth.reset_views import bp as reset_bp
    from archive.auth.sso_views import bp as sso_bp
    from archive.auth.views import bp as auth_bp
    from archive.batch.views import bp as batch_bp
    from archive.catalogue.api_views import bp as api_bp
    from archive.catalogue.blur_views import bp as blur_bp
    from archive.catalogue.consent_request_views import bp as consent_requests_bp
    from archive.catalogue.event_views import bp as events_bp
    from archive.catalogue.focal_views import bp as focal_bp
    from archive.catalogue.people_views import bp as people_bp
    from archive.catalogue.photo_views import bp as photos_bp
    from archive.catalogue.upload_views import bp as upload_bp
    from archive.consent.link_views import bp as consent_link_bp
    from archive.consent.sheet_views import bp as sheets_bp
    from archive.consent.views import bp as consent_bp
    from archive.downloads.views import bp as downloads_bp
    from archive.exhibitions.builder_views import bp as curate_bp
    from archive.exhibitions.print_views import bp as print_pack_bp
    from archive.exhibitions.views import bp as exhibitions_bp
    from archive.home.views import bp as home_bp
    from archive.licences.views import bp as licences_bp
    from archive.mail.views import bp as mail_bp
    from archive.operations.health import bp as health_bp
    from archive.profiles.views import bp as profiles_bp
    from archive.reports.views import bp as reports_bp
    from archive.search.views import bp as search_bp

    for blueprint in (
        api_bp,
        auth_bp,
        blur_bp,
        focal_bp,
        reset_bp,
        curate_bp,
        print_pack_bp,
        exhibitions_bp,
        health_bp,
        home_bp,
        people_bp,
        photos_bp,
        upload_bp,
        reports_bp,
        licences_bp,
        mail_bp,
        downloads_bp,
        consent_link_bp,
        consent_bp,
        consent_requests_bp,
        events_bp,
        sheets_bp,
        search_bp,
        batch_bp,
        sso_bp,
        profiles_bp,
    ):
        app.register_blueprint(blueprint)

    _register_error_pages(app)

    from archive.auth import commands as auth_commands
    from archive.demo import commands as demo_commands
    from archive.exhibitions import commands as exhibitions_commands
    from archive.operations import commands as operations_commands
    from archive.photos import commands as photos_commands
    from archive.search import commands as search_commands

    for commands in (
        auth_commands,
        demo_commands,
        exhibitions_commands,
        operations_commands,
        photos_commands,
        search_commands,
    ):
        commands.init_app(app)

    return app


def _register_error_pages(app: Flask) -> None:
    """Answer errors with a sentence a person understands, never a traceback.

    A page, or under /api/ the API's JSON error (any /api/ URL, even one that does not exist).
    """
    from archive.catalogue.api import error_answer, is_api_request

    messages = {
        400: "The request could not be understood. Please go back and try again.",
        403: "You do not have permission to see this page.",
        404: "There is nothing here, or nothing you may see.",
        405: "That action is not available here.",
        429: "Too many attempts. Please wait a minute and try again.",
        413: (
            f"The upload is too large: at most {app.config['MAX_UPLOAD_MB']} MB per file and "
            f"{app.config['MAX_CONTENT_LENGTH'] // 1024 // 1024} MB in one upload."
        ),
        500: "Something went wrong on our side. Nothing was half-stored; please try again.",
    }

    def answer(status: int, message: str, code: str | None = None, headers=None):
        if is_api_request():
            response = error_answer(status, message, code)
            response.headers.update(headers or {})
            return response
        return render_template("error.html", code=status, message=message), status, headers

    def render_error(error):
        status = getattr(error, "code", 500) or 500
        if isinstance(error, Refusal):
            return answer(status, error.description, error.error_code)
        message = messages.get(status) or getattr(error, "description", "") or messages[500]
        methods = sorted(set(getattr(error, "valid_methods", None) or ()) - {"HEAD", "OPTIONS"})
        if methods:
            message += f" This address accepts {' and '.join(methods)}."
            return answer(status, message, headers={"Allow": ", ".join(methods)})
        return answer(status, message)

    for status in messages:
        app.register_error_handler(status, render_error)

    @app.errorhandler(WriteBusy)
    def _write_busy(error):
        # Another host's writer is slow or hung; the next try usually finds the lock free.
        return answer(503, str(error), headers={"Retry-After": "5"})

    @app.errorhandler(CSRFError)
    def _form_expired(_error):
        message = (
            "The form has expired or was not sent from this site. Reload the page and try again."
        )
        return answer(400, message)
