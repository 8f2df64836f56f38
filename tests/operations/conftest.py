"""A second, empty database on the same engine as the test's own, for a fresh instance."""

import itertools

import pytest

from archive import create_app
from archive.extensions import db
from tests.fixtures.app import app_config

_numbers = itertools.count(1)


@pytest.fixture
def empty_database(request, database, tmp_path) -> str:
    """Return the URL of a database with no tables, on the engine the test runs on."""
    if database.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    server = request.getfixturevalue("postgres")
    with server.database(f"empty_{next(_numbers)}") as url:
        yield url


@pytest.fixture
def fresh_instance(tmp_path, empty_database):
    """Return a second app whose instance folder and database are empty (not even migrated).

    Its context is not pushed: the test's own `app` stays current until `with fresh.app_context()`.
    """
    instance = tmp_path / "fresh-instance"
    instance.mkdir()
    app = create_app({**app_config(instance), "DATABASE_URL": empty_database})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
