"""The media folder fills up during an import: each file is told why, nothing is half-written."""

import json
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from archive.extensions import db
from archive.photos.models import Photo

FILES = 10


@pytest.fixture
def small_media_folder(app):
    """Mount a 3 MB file system on the media folder: a disk that fills up for real."""
    media = Path(app.config["MEDIA_PATH"])
    media.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system on the media folder needs root (CI runs as root)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(media)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"this machine cannot mount a tmpfs: {mounted.stderr.strip()}")
    yield media
    subprocess.run(["umount", "--lazy", str(media)], check=True)


def test_a_full_media_folder_refuses_each_remaining_file_and_leaves_nothing_half_written(
    app, runner, small_media_folder, tmp_path
):
    folder = tmp_path / "shoot"
    folder.mkdir()
    for index in range(FILES):
        # Noise compresses badly: each original is about 0.7 MB, with derivatives near 1.5 MB.
        noise = Image.effect_noise((1200, 900), 60 + index).convert("RGB")
        noise.save(folder / f"IMG_{index:02d}.jpg", quality=95)
    report = tmp_path / "report.json"
    result = runner.invoke(args=["import", str(folder), "--workers", "1", "--report", str(report)])
    records = json.loads(report.read_text())["files"]
    assert len(records) == FILES, result.output
    imported = [r for r in records if r["status"] == "imported"]
    refused = [r for r in records if r["status"] == "rejected"]
    assert imported and refused, "the disk must fill up partway through"
    for record in refused:
        assert "could not store" in record["reason"], record
        assert "No space left on device" in record["reason"], record
    assert result.exit_code == 1 and "failed unexpectedly" in result.output.splitlines()[-1]
    partial = [p.name for p in small_media_folder.rglob("*") if p.name.startswith(".incoming-")]
    assert partial == []
    checked = runner.invoke(args=["check"])
    assert checked.exit_code == 0, checked.output
    assert "0 problems found" in checked.output


def test_a_full_disk_under_the_database_refuses_that_file_and_the_run_goes_on(
    app, runner, picture, tmp_path
):
    folder = tmp_path / "shoot"
    folder.mkdir()
    for index in range(4):
        picture(seed=index).rename(folder / f"IMG_{index:02d}.jpg")
    flushes = iter(range(1, 100))

    def disk_full_on_the_second_photo(session, _context, _instances):
        photos = [row for row in session.new if isinstance(row, Photo)]
        if photos and next(flushes) == 2:
            raise OperationalError("INSERT INTO photos", {}, Exception("database or disk is full"))

    event.listen(db.session, "before_flush", disk_full_on_the_second_photo)
    try:
        report = tmp_path / "report.json"
        result = runner.invoke(
            args=["import", str(folder), "--workers", "1", "--report", str(report)]
        )
    finally:
        event.remove(db.session, "before_flush", disk_full_on_the_second_photo)
    statuses = [record["status"] for record in json.loads(report.read_text())["files"]]
    assert statuses == ["imported", "rejected", "imported", "imported"], result.output
    assert result.exit_code == 1
    assert Photo.query.count() == 3
    assert runner.invoke(args=["check"]).exit_code == 0
