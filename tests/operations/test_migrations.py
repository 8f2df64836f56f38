"""The Alembic migrations build exactly the models' schema, on SQLite and PostgreSQL alike."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text

from archive.exhibitions.models import Exhibition
from archive.extensions import db


def test_flask_db_upgrade_builds_the_models_schema_on_an_empty_database(fresh_instance):
    result = fresh_instance.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with fresh_instance.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == _newest_revision()
        assert compare_metadata(context, db.metadata) == []
        assert "index_changes" in inspect(connection).get_table_names()


def _newest_revision() -> str:
    scripts = ScriptDirectory(str(Path(__file__).resolve().parents[2] / "migrations"))
    return scripts.get_current_head()


def test_upgrading_gives_introductions_already_saved_their_html(fresh_instance):
    runner = fresh_instance.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", "0010"]).exit_code == 0
    saved_before = "Our *technicians* ![x](https://tracker.example/p.png)<script>alert(1)</script>"
    with fresh_instance.app_context(), db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO exhibitions (slug, title, summary, body, visibility, status, secret, "
                "smart_rule) VALUES ('old', 'Old', '', :body, 'public', 'published', 'key', '')"
            ),
            {"body": saved_before},
        )
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with fresh_instance.app_context():
        exhibition = db.session.execute(select(Exhibition)).scalar_one()
        assert exhibition.introduction == '<p>Our <em>technicians</em> <img alt="x"></p>\n'


def test_init_then_init_again_changes_nothing(fresh_instance):
    runner = fresh_instance.test_cli_runner()
    with fresh_instance.app_context():
        first = runner.invoke(args=["init"])
        assert first.exit_code == 0, first.output
        assert "added 0 vocabulary terms" not in first.output
        again = runner.invoke(args=["init"])
        assert "added 0 vocabulary terms and 0 licences" in again.output
