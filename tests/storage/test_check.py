"""`check` over either store: damaged and lost files named, repair touches only orphans."""

import os
import time
from pathlib import Path

import pytest

from archive import create_app
from archive.storage import StorageError, get_storage
from archive.storage.references import referenced_files
from tests.fixtures.app import ON_BOTH_STORAGES, app_config

ON_S3 = pytest.mark.parametrize("storage_setting", ["s3"], indirect=True)


@ON_BOTH_STORAGES
def test_check_names_a_corrupt_and_a_missing_file_and_repair_keeps_every_referenced_one(
    app, runner, consented_photo, tmp_path
):
    storage = get_storage()
    corrupt = consented_photo.storage_key
    missing = consented_photo.derivative("thumb").storage_key
    orphan = "derivatives/00/left-by-a-crash.jpg"
    other = tmp_path / "other.jpg"
    other.write_bytes(b"not the photo that was uploaded")
    storage.delete(corrupt)
    storage.put_file(corrupt, other)  # same key, other bytes: as a failing disk would leave it
    storage.delete(missing)
    storage.put_file(orphan, other)
    kept = {key: storage.checksum(key) for key in referenced_files() if key != missing}
    assert len(kept) == 4  # the damaged original, two derivatives and the consent form

    found = runner.invoke(args=["check"])
    assert found.exit_code == 1
    assert f"corrupt file (checksum differs): {corrupt}" in found.output
    assert f"missing file: {missing}" in found.output
    # Just stored: an upload may be about to commit the row naming it.
    assert f"recent unreferenced file (kept until it is 24 hours old): {orphan}" in found.output
    assert "orphan file" not in found.output  # not a problem
    runner.invoke(args=["check", "--repair"])
    assert storage.exists(orphan)

    app.config["ORPHAN_GRACE_HOURS"] = 0  # the orphan is now past its grace period
    found = runner.invoke(args=["check"])
    assert f"orphan file (no row refers to it): {orphan}" in found.output
    repaired = runner.invoke(args=["check", "--repair"])
    assert f"repaired: deleted orphan file {orphan}" in repaired.output
    assert not storage.exists(orphan)
    # Every referenced file is as it was, the damaged one too: that needs a person.
    assert {key: storage.checksum(key) for key in kept} == kept

    again = runner.invoke(args=["check"])
    assert again.exit_code == 1
    assert f"corrupt file (checksum differs): {corrupt}" in again.output
    assert f"missing file: {missing}" in again.output
    assert "orphan" not in again.output


DAY = 24 * 3600


def age(path: Path, seconds: float) -> None:
    """Make the file or folder, and everything in it, look last changed seconds ago."""
    then = time.time() - seconds
    for inside in [*path.rglob("*"), path] if path.is_dir() else [path]:
        os.utime(inside, (then, then))


def make_working_folder(app, name: str) -> Path:
    """Leave a working folder with a half-made derivative in UPLOAD_TMP_PATH."""
    folder = Path(app.config["UPLOAD_TMP_PATH"]) / name
    (folder / "derivatives").mkdir(parents=True)
    (folder / "derivatives" / "display.jpg").write_bytes(b"half a derivative")
    return folder


def test_check_reports_and_repair_removes_only_stale_leftovers(app, runner):
    storage = get_storage()
    media = Path(app.config["MEDIA_PATH"])
    (media / "originals" / "ab").mkdir(parents=True)
    stale_draft = media / "originals" / "ab" / ".incoming-k1ll3d"
    young_draft = media / "originals" / "ab" / ".incoming-wr1t1ng"
    stale_probe = media / ".probe-k1ll3d"
    young_probe = media / ".probe-n0w"
    for draft in (stale_draft, young_draft, stale_probe, young_probe):
        draft.write_bytes(b"half a fi")
    age(stale_draft, 2 * DAY)
    age(stale_probe, 2 * DAY)
    stale_folder = make_working_folder(app, "tmpk1ll3d")
    young_folder = make_working_folder(app, "tmpw0rk1ng")
    age(stale_folder, 2 * DAY)
    # Busy in a sub-folder only: the folder's own time is old, its contents are not.
    busy_folder = make_working_folder(app, "tmpbusy")
    age(busy_folder, 2 * DAY)
    (busy_folder / "derivatives" / "display.jpg").touch()
    os.utime(busy_folder, (time.time() - 2 * DAY,) * 2)

    found = runner.invoke(args=["check"])
    assert found.exit_code == 1
    assert "interrupted upload (left for more than 24 hours): originals/ab/.incoming-k1ll3d" in (
        found.output
    )
    assert "interrupted upload (left for more than 24 hours): .probe-k1ll3d" in found.output
    assert f"stale working folder or file (unchanged for 24 hours): {stale_folder}" in found.output
    for young in ("wr1t1ng", "probe-n0w", "w0rk1ng", "tmpbusy"):
        assert young not in found.output  # at work now, perhaps on another host
    assert "3 problems found." in found.output

    repaired = runner.invoke(args=["check", "--repair"])
    assert "repaired: removed the interrupted upload originals/ab/.incoming-k1ll3d" in (
        repaired.output
    )
    assert f"repaired: removed the stale working folder or file {stale_folder}" in repaired.output
    assert not stale_draft.exists() and not stale_probe.exists() and not stale_folder.exists()
    assert young_draft.exists() and young_probe.exists()
    assert young_folder.exists() and busy_folder.exists()
    assert sorted(left.key for left in storage.partial_uploads()) == [
        ".probe-n0w",
        "originals/ab/.incoming-wr1t1ng",
    ]
    assert runner.invoke(args=["check"]).exit_code == 0


@ON_S3
def test_check_aborts_an_interrupted_multipart_upload_on_s3(app, runner):
    storage = get_storage()
    name = f"{storage.prefix}originals/ab/scan.tif"
    upload = storage.client.create_multipart_upload(Bucket=storage.bucket, Key=name)
    storage.client.upload_part(
        Bucket=storage.bucket, Key=name, UploadId=upload["UploadId"], PartNumber=1, Body=b"half"
    )
    # moto dates every upload 2010, so it is always past the grace period there.
    found = runner.invoke(args=["check"])
    assert found.exit_code == 1
    assert (
        f"interrupted upload (left for more than 24 hours): originals/ab/scan.tif "
        f"(upload {upload['UploadId']})" in found.output
    )
    repaired = runner.invoke(args=["check", "--repair"])
    assert "repaired: removed the interrupted upload originals/ab/scan.tif" in repaired.output
    assert list(storage.partial_uploads()) == []
    assert runner.invoke(args=["check"]).exit_code == 0


def test_start_up_removes_stale_working_folders_and_leaves_young_ones(app):
    stale = make_working_folder(app, "tmpk1ll3d")
    young = make_working_folder(app, "tmpw0rk1ng")
    stale_file = Path(app.config["UPLOAD_TMP_PATH"]) / "tmpcopy"  # a storage move's draft
    stale_file.write_bytes(b"half a copy")
    age(stale, 2 * DAY)
    age(stale_file, 2 * DAY)
    create_app({**app_config(Path(app.instance_path)), "DATABASE_URL": app.config["DATABASE_URL"]})
    assert not stale.exists() and not stale_file.exists()
    assert young.exists()


def test_a_store_that_refuses_a_delete_is_reported_and_repair_goes_on(
    app, runner, tmp_path, monkeypatch
):
    storage = get_storage()
    leftover = tmp_path / "leftover.jpg"
    leftover.write_bytes(b"left by a crash")
    for key in ("derivatives/00/first.jpg", "derivatives/00/second.jpg"):
        storage.put_file(key, leftover)
    app.config["ORPHAN_GRACE_HOURS"] = 0

    def refuse_the_first(key):
        if key.endswith("first.jpg"):
            raise StorageError(f"could not delete {key}: Read-only file system")
        return real_delete(key)

    real_delete = storage.delete
    monkeypatch.setattr(storage, "delete", refuse_the_first)
    repaired = runner.invoke(args=["check", "--repair"])
    assert repaired.exit_code == 1, repaired.output  # not a traceback: every line is read
    assert "not repaired: deleted orphan file derivatives/00/first.jpg failed: " in repaired.output
    assert "Read-only file system" in repaired.output
    assert "repaired: deleted orphan file derivatives/00/second.jpg" in repaired.output
    assert storage.exists("derivatives/00/first.jpg")
    assert not storage.exists("derivatives/00/second.jpg")
