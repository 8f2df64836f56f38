"""The database, the secret key and backups are readable by the archive's own user only."""

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from archive import create_app
from archive.extensions import db
from tests.fixtures.app import app_config

PRIVATE_BITS = 0o077  # any permission for the group or others


@pytest.fixture
def default_umask():
    """Run the test under the usual umask (022), which leaves new files world-readable."""
    earlier = os.umask(0o022)
    yield
    os.umask(earlier)


def shared(path: Path) -> list[str]:
    """Return path and everything under it that the group or others may open."""
    modes = {p: p.stat().st_mode & 0o777 for p in [path, *path.rglob("*")]}
    return [f"{p} {oct(mode)}" for p, mode in modes.items() if mode & PRIVATE_BITS]


def test_a_new_sqlite_database_is_readable_by_its_owner_only(default_umask, fresh_instance):
    with fresh_instance.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the PostgreSQL server keeps its own files")
        with db.engine.begin() as connection:
            connection.execute(text("CREATE TABLE written (id INTEGER)"))
        path = Path(db.engine.url.database)
        files = [path, *(path.with_name(path.name + end) for end in ("-wal", "-shm"))]
        assert path.exists()
        assert [str(file) for file in files if file.exists() and shared(file)] == []


def test_a_generated_secret_key_is_readable_by_its_owner_only(default_umask, tmp_path):
    instance = tmp_path / "keyed-instance"
    config = {**app_config(instance), "SECRET_KEY": None}
    config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'keyed.sqlite3'}"
    app = create_app(config)
    key = instance / "secret_key"
    assert app.config["SECRET_KEY"] == key.read_text().strip()
    assert shared(key) == []


def test_a_backup_is_readable_by_its_owner_only(
    default_umask, app, runner, tmp_path, make_photo, make_person
):
    make_photo(people=[make_person("Ada Byrne", scopes=["web"])], status="approved")
    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "backup" / "manifest.json").exists()
    assert len(list((tmp_path / "backup" / "media").rglob("*.jpg"))) > 1
    assert shared(tmp_path / "backup") == []
