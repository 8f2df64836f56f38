"""Backup, then restore into an empty instance: the same photos, consents and exhibitions."""

from datetime import date

from archive.auth.models import Role, User
from archive.auth.services import create_user
from archive.consent.intake import withdraw_consent
from archive.exhibitions.models import Exhibition
from archive.extensions import db
from archive.people.models import Person
from archive.photos.models import Photo
from tests.fixtures.app import PASSWORD
from tests.fixtures.photos import stored_files


def archive_contents() -> dict:
    """Return what a person would compare: photos, each person's consents, exhibitions."""
    return {
        "photos": sorted(
            (p.sha256, p.title, p.status.value, p.licence.code if p.licence else None)
            for p in db.session.execute(db.select(Photo)).scalars()
        ),
        "consents": sorted(
            (person.name, form.sha256, sorted(s.value for s in form.scopes), str(form.withdrawn_on))
            for person in db.session.execute(db.select(Person)).scalars()
            for form in person.consent_forms
        ),
        "exhibitions": sorted(
            (e.slug, e.status.value, [item.photo.sha256 for item in e.items])
            for e in db.session.execute(db.select(Exhibition)).scalars()
        ),
    }


def test_backup_then_restore_into_an_empty_instance(
    app, runner, tmp_path, exhibit_photos, make_exhibition, make_person, make_user, fresh_instance
):
    make_exhibition(exhibit_photos[:2])
    withdrawn = make_person("Sam Okafor", scopes=["web", "press"])
    withdraw_consent(withdrawn.consent_forms[0], by=make_user("admin"), on=date.today())
    curator_email = make_user("curator").email
    before = archive_contents()
    assert len(before["photos"]) == 3 and len(before["consents"]) == 2

    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert f"and {len(stored_files(app))} files" in result.output

    restorer = fresh_instance.test_cli_runner()
    with fresh_instance.app_context():
        result = restorer.invoke(args=["restore", str(tmp_path / "backup")])
        assert result.exit_code == 0, result.output
        checked = restorer.invoke(args=["check"])
        assert checked.exit_code == 0, checked.output
        assert "0 problems found" in checked.output
        assert archive_contents() == before
        client = fresh_instance.test_client()
        client.post("/login", data={"email": curator_email, "password": PASSWORD})
        found = client.get("/api/search?q=glassblowing").json
        assert [r["title"] for r in found["results"]] == ["Glassblowing"]
        # Ids go on from where they were (PostgreSQL's sequences are restored too).
        restored_ids = db.session.execute(db.select(User.id)).scalars().all()
        assert create_user("newcomer@example.org", PASSWORD, Role.COMMS).id > max(restored_ids)


def test_restore_refuses_an_instance_that_holds_data(app, runner, tmp_path, make_photo):
    make_photo(title="Kept as it is")
    assert runner.invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    make_photo(title="Added after the backup")

    result = runner.invoke(args=["restore", str(tmp_path / "backup")])
    assert result.exit_code == 1
    assert "this instance is not empty (2 photos, stored files)" in result.output
    assert sorted(title for _sha, title, *_ in archive_contents()["photos"]) == [
        "Added after the backup",
        "Kept as it is",
    ]


def test_a_damaged_backup_is_refused_and_nothing_is_restored(
    app, runner, tmp_path, make_photo, fresh_instance
):
    make_photo()
    assert runner.invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    original = next((tmp_path / "backup" / "media" / "originals").rglob("*.jpg"))
    original.write_bytes(original.read_bytes()[:-10])

    with fresh_instance.app_context():
        result = fresh_instance.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
        assert result.exit_code == 1
        assert "the backup is damaged, nothing was restored" in result.output
        assert original.relative_to(tmp_path / "backup").as_posix() in result.output
        assert stored_files(fresh_instance) == []
        assert "photos" not in db.inspect(db.engine).get_table_names()


def test_backup_refuses_a_folder_that_is_not_empty(runner, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "notes.txt").write_text("keep me")
    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 1 and "is not empty: back up into a new folder" in result.output


def test_postgres_programs_get_the_password_in_their_environment_only():
    from sqlalchemy.engine import make_url

    from archive.operations.postgres import libpq_arguments

    conninfo, environment = libpq_arguments(make_url("postgresql+psycopg://arc:s%40cret@db:5433/a"))
    assert conninfo == "postgresql://arc@db:5433/a"
    assert environment == {"PGPASSWORD": "s@cret"}
