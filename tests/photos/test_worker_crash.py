"""A file that crashes its worker process (a decoder's segfault, the kernel's OOM killer)."""

import json
import os

from archive.photos import analysis_pool
from archive.photos.analysis import analyse


def analyse_or_crash(path, *args):
    """Analyse the file, except that a file named crash* takes its worker process down."""
    if path.name.startswith("crash"):
        os._exit(139)  # as a segfault in a native decoder would
    return analyse(path, *args)


def test_a_file_that_crashes_a_worker_is_refused_and_every_other_file_imported(
    app, runner, picture, tmp_path, monkeypatch
):
    # Workers unpickle the function by name, so they run this module's version too.
    monkeypatch.setattr(analysis_pool, "analyse", analyse_or_crash)
    folder = tmp_path / "shoot"
    folder.mkdir()
    names = [f"IMG_{index:02d}.jpg" for index in range(8)]
    names[2] = "crash.jpg"
    for seed, name in enumerate(names):
        picture(seed=seed).rename(folder / name)
    report = tmp_path / "report.json"
    result = runner.invoke(args=["import", str(folder), "--workers", "2", "--report", str(report)])
    assert result.exit_code == 0, result.output
    records = {r["path"].rsplit("/", 1)[-1]: r for r in json.loads(report.read_text())["files"]}
    crashed = records.pop("crash.jpg")
    assert crashed["status"] == "rejected" and "decoder stopped" in crashed["reason"]
    assert {r["status"] for r in records.values()} == {"imported"}
