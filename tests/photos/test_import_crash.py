"""An import killed with SIGKILL halfway: check --repair and a re-run lose and duplicate nothing."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from whoosh.index import open_dir

from archive.extensions import db
from archive.photos.models import Photo

ROOT = Path(__file__).resolve().parents[2]
FILES = 12


def counts(app) -> tuple[int, int, int]:
    """Return (photo rows, stored originals, index documents)."""
    db.session.rollback()
    rows = Photo.query.count()
    originals = len(list((Path(app.config["MEDIA_PATH"]) / "originals").rglob("*.*")))
    with open_dir(app.config["INDEX_PATH"]).searcher() as reader:
        documents = reader.doc_count()
    return rows, originals, documents


def test_a_killed_import_is_recovered_without_loss_or_duplicates(app, runner, picture, tmp_path):
    folder = tmp_path / "shoot"
    folder.mkdir()
    for seed in range(FILES):
        picture(seed=seed, size=(2400, 1800)).rename(folder / f"IMG_{seed:02d}.jpg")
    database = Path(app.instance_path) / "archive.sqlite3"
    importer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "archive",
            "import",
            str(folder),
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env={**os.environ, "ARCHIVE_INSTANCE_PATH": app.instance_path},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its pool workers share the group, and die with it
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as connection:
            done = connection.execute("SELECT count(*) FROM photos").fetchone()[0]
        if done >= 3 or importer.poll() is not None:
            break
        time.sleep(0.05)
    os.killpg(importer.pid, signal.SIGKILL)
    importer.wait()
    assert 3 <= done < FILES, "the import must be killed halfway through"

    # The import is known dead: what it stored without committing may go at once.
    app.config["ORPHAN_GRACE_HOURS"] = 0
    repaired = runner.invoke(args=["check", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    rows, originals, documents = counts(app)
    assert rows == originals == documents
    assert rows < FILES

    report = tmp_path / "report.json"
    rerun = runner.invoke(args=["import", str(folder), "--workers", "1", "--report", str(report)])
    assert rerun.exit_code == 0, rerun.output
    statuses = [entry["status"] for entry in json.loads(report.read_text())["files"]]
    assert statuses.count("imported") == FILES - rows  # exactly the missing ones
    assert statuses.count("duplicate") == rows
    assert counts(app) == (FILES, FILES, FILES)
    assert runner.invoke(args=["check"]).exit_code == 0
