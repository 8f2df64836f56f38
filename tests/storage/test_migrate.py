"""`migrate-storage`: every file copied to the new store and verified, resumable, then switched."""

from pathlib import Path

from archive import create_app
from archive.extensions import db
from archive.storage import StorageError, get_storage
from archive.storage.s3 import S3Storage
from tests.fixtures.app import app_config


def test_a_move_to_s3_interrupted_midway_carries_on_and_ends_verified(
    app, runner, consented_photo, make_photo, s3_endpoint, s3_bucket, monkeypatch
):
    make_photo(title="Lathe work")
    app.config["S3_ENDPOINT_URL"] = s3_endpoint
    monkeypatch.delenv("ARCHIVE_STORAGE", raising=False)
    keys = sorted(found.key for found in get_storage().stored_objects())
    assert len(keys) == 9  # two photos with three derivatives each, and a consent form
    settings = Path(app.instance_path) / "config.py"

    # The connection drops on the fifth upload: a real error, halfway through.
    put_file = S3Storage.put_file
    uploads = []

    def put_until_the_connection_drops(storage, key, path):
        if len(uploads) == 4:
            raise StorageError(f"could not store {key}: Connection reset by peer")
        uploads.append(key)
        return put_file(storage, key, path)

    monkeypatch.setattr(S3Storage, "put_file", put_until_the_connection_drops)
    stopped = runner.invoke(args=["migrate-storage", "--to", s3_bucket])
    assert stopped.exit_code == 1
    assert "Connection reset by peer. Nothing was switched; run the command again" in stopped.output
    assert not settings.exists()

    monkeypatch.setattr(S3Storage, "put_file", put_file)
    resumed = runner.invoke(args=["migrate-storage", "--to", s3_bucket])
    assert resumed.exit_code == 0, resumed.output
    assert "9 files: 5 copied, 4 already there, 0 failed verification." in resumed.output
    assert f"STORAGE = {s3_bucket!r}" in settings.read_text()

    # Restarted, the archive uses S3, and check verifies every file by its checksum there.
    moved = create_app(app_config(Path(app.instance_path)) | {"S3_ENDPOINT_URL": s3_endpoint})
    with moved.app_context():
        assert isinstance(get_storage(), S3Storage)
        assert sorted(found.key for found in get_storage().stored_objects()) == keys
        checked = moved.test_cli_runner().invoke(args=["check"])
        db.session.remove()
    assert checked.exit_code == 0, checked.output
    assert "Checked 9 files: 0 problems found." in checked.output
