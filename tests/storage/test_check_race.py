"""`check --repair` while another process commits photos: none of their files is deleted.

Uploads and imports store a photo's files first and commit its rows after, on this host
or another sharing the store. The other process here commits a photo at the worst
moments, in step with check (not by luck of timing): while check verifies checksums,
after it has taken its list of stored files and read which ones rows refer to.
"""

import json
import select
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from archive.core.intake import sha256_of
from archive.extensions import db
from archive.operations.check import check
from archive.photos.analysis import Limits, analyse
from archive.photos.imaging import EXTENSIONS
from archive.photos.ingest import derivative_key
from archive.photos.models import Photo
from archive.storage import StorageError, get_storage
from archive.storage.references import referenced_files
from tests.fixtures.app import ON_BOTH_STORAGES, app_config

ROOT = Path(__file__).resolve().parents[2]
PHOTOS = 4


class Committer:
    """The second process: it ingests the files it is sent and answers each photo's id."""

    def __init__(self, process: subprocess.Popen):
        self.process = process

    def start(self, path: Path) -> None:
        """Have it ingest the file and commit its photo, without waiting for it."""
        self.process.stdin.write(f"{path}\n")
        self.process.stdin.flush()

    def committed(self, within: float | None = None) -> int | None:
        """Return the id of the photo it committed last; None if not done within seconds."""
        if within is not None and not select.select([self.process.stdout], [], [], within)[0]:
            return None
        answer = self.process.stdout.readline()
        assert answer, "the committing process stopped"
        return int(answer)

    def commit(self, path: Path) -> int:
        """Have it ingest the file; return once it has committed the photo."""
        self.start(path)
        return self.committed()


@contextmanager
def committer(app):
    """Start the second process on the app's instance, database and store."""
    config = {**app_config(Path(app.instance_path)), "DATABASE_URL": app.config["DATABASE_URL"]}
    config.update(STORAGE=app.config["STORAGE"], S3_ENDPOINT_URL=app.config["S3_ENDPOINT_URL"])
    command = [sys.executable, "-m", "tests.storage.committer", json.dumps(config)]
    options = {"cwd": ROOT, "stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "text": True}
    with subprocess.Popen(command, **options) as process:
        yield Committer(process)
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
        # Stored as analysed: the committer's photos have no licence, so no credit is added.
        for made in analysis.derivatives:
            storage.put_file(derivative_key(sha256_of(made.path)), made.path)
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
        monkeypatch.setattr("archive.storage.references.reference_count", lambda key: 0)
    reused, repaired = set(), []
    with committer(app) as other:
        for number in range(PHOTOS):
            path = picture(seed=100 + number)
            if number % 2 == 0:
                # Stored once by an import killed before its commit: its files are there,
                # referenced by nothing, when the other process ingests it again.
                reused.add(store_files_only(app, path))
            # The other process commits a photo while check verifies checksums: after
            # check listed the stored files and read the rows, before it deletes.
            report = check(repair=True, on_file=once(lambda key, path=path: other.commit(path)))
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


@ON_BOTH_STORAGES
def test_repair_keeps_a_file_stored_again_and_committed_just_before_its_delete(
    app, picture, monkeypatch
):
    # The worst moment: repair has seen that no row names a file and that it is past its
    # grace period; before it deletes it, another process stores the same file again (an
    # import of what a killed import left) and commits the photo naming it.
    app.config["ORPHAN_GRACE_HOURS"] = 0
    path = picture(seed=300)
    store_files_only(app, path)
    storage = get_storage()
    delete = storage.delete
    with committer(app) as other:
        answers = []

        def commit_then_delete(key):
            if not answers:
                other.start(path)
                # Either it commits now, or it waits for repair's write transaction to end
                # and then stores again what repair deleted.
                answers.append(other.committed(within=5))
            delete(key)

        monkeypatch.setattr(storage, "delete", commit_then_delete)
        check(repair=True)
        monkeypatch.undo()
        assert answers, "repair deleted nothing"
        if answers[0] is None:
            answers[0] = other.committed()

    db.session.rollback()
    assert db.session.get(Photo, answers[0]) is not None
    assert files_not_intact() == []
