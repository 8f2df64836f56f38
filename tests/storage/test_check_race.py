"""`check --repair` while another process commits photos: none of their files is deleted.

Uploads and imports store a photo's files first and commit its rows after, on this host
or another sharing the store. The other process here commits a photo at the worst
moments, in step with check (not by luck of timing): while check verifies checksums,
after it has taken its list of stored files and read which ones rows refer to.
"""

import json
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from archive.extensions import db
from archive.operations.check import check, referenced_files
from archive.photos.analysis import Limits, analyse
from archive.photos.imaging import EXTENSIONS
from archive.photos.ingest import derivative_key
from archive.photos.models import Photo
from archive.storage import StorageError, get_storage
from tests.fixtures.app import ON_BOTH_STORAGES, app_config

ROOT = Path(__file__).resolve().parents[2]
PHOTOS = 4


@contextmanager
def committer(app):
    """Start the second process on the app's instance, database and store.

    Yields commit(path): that process ingests the file and commits its photo, and
    commit returns once it has.
    """
    config = {**app_config(Path(app.instance_path)), "DATABASE_URL": app.config["DATABASE_URL"]}
    config.update(STORAGE=app.config["STORAGE"], S3_ENDPOINT_URL=app.config["S3_ENDPOINT_URL"])
    command = [sys.executable, "-m", "tests.storage.committer", json.dumps(config)]
    options = {"cwd": ROOT, "stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "text": True}
    with subprocess.Popen(command, **options) as process:

        def commit(path: Path) -> int:
            process.stdin.write(f"{path}\n")
            process.stdin.flush()
            answer = process.stdout.readline()
            assert answer, "the committing process stopped"
            return int(answer)

        yield commit
        process.stdin.close()
        assert process.wait(timeout=60) == 0


def store_files_only(app, path: Path) -> str:
    """Store a photo's files without its rows, as an import killed before its commit leaves them.

    Return the original's key: re-ingesting the file reuses these files.
    """
    storage = get_storage()
    with tempfile.TemporaryDirectory() as workdir:
        analysis = analyse(path, Path(workdir), Limits.from_config(app.config))
        original = f"originals/{analysis.sha256[:2]}/{analysis.sha256}"
        original += f".{EXTENSIONS[analysis.format]}"
        storage.put_file(original, analysis.source)
        for made in analysis.derivatives:
            storage.put_file(derivative_key(made.sha256), made.path)
    return original


def once(action):
    """Return a callback that runs action on its first call only."""
    calls = []

    def callback(*args):
        if not calls:
            calls.append(action(*args))

    return callback


def files_not_intact() -> list[str]:
    """Return each file a row refers to that is missing or differs from its checksum."""
    db.session.rollback()
    storage = get_storage()
    damaged = []
    for key, sha256 in referenced_files().items():
        try:
            if storage.checksum(key) != sha256:
                damaged.append(key)
        except StorageError:
            damaged.append(key)
    return damaged


@ON_BOTH_STORAGES
@pytest.mark.parametrize("protection", ["second look", "grace period"])
def test_repair_deletes_no_file_of_a_photo_committed_meanwhile(
    app, make_photo, picture, tmp_path, monkeypatch, protection
):
    make_photo(title="Already in the archive")  # check has files to verify meanwhile
    storage = get_storage()
    crash_leftover = tmp_path / "leftover.jpg"
    crash_leftover.write_bytes(b"a file no photo will ever claim")
    storage.put_file("derivatives/00/left-by-a-crash.jpg", crash_leftover)
    if protection == "second look":
        # No grace at all: only listing before reading the rows, and asking again before
        # each delete, keep the files.
        app.config["ORPHAN_GRACE_HOURS"] = 0
    else:
        # The second look switched off: the grace period alone keeps the young files.
        monkeypatch.setattr("archive.operations.check.is_referenced", lambda key: False)
    reused, repaired = set(), []
    with committer(app) as commit:
        for number in range(PHOTOS):
            path = picture(seed=100 + number)
            if number % 2 == 0:
                # Stored once by an import killed before its commit: its files are there,
                # referenced by nothing, when the other process ingests it again.
                reused.add(store_files_only(app, path))
            # The other process commits a photo while check verifies checksums: after
            # check listed the stored files and read the rows, before it deletes.
            report = check(repair=True, on_file=once(lambda key, path=path: commit(path)))
            repaired += report.repaired

    db.session.rollback()
    assert db.session.query(Photo).count() == PHOTOS + 1
    assert reused <= set(referenced_files())  # the files left by the crash were taken up
    assert files_not_intact() == []
    if protection == "second look":
        kept = {line.split(":")[0].removeprefix("kept ") for line in repaired if "kept" in line}
        assert reused <= kept  # each was judged an orphan, then seen to be in use
        assert not storage.exists("derivatives/00/left-by-a-crash.jpg")
    else:
        assert storage.exists("derivatives/00/left-by-a-crash.jpg")  # young: kept for now
