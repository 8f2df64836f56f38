"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from archive import create_app

app = create_app()
