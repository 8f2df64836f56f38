"""Importing the same folder again skips every file by its hash, decoding nothing."""

import json

import pytest

from archive.photos import analysis_pool
from archive.photos.models import Photo

FILES = 8


@pytest.fixture
def sent_to_decode(monkeypatch) -> list:
    """Return the list of files the import sends to its worker processes to be decoded."""
    sent = []

    class RecordingPool(analysis_pool.ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):
            sent.append(args[0])
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(analysis_pool, "ProcessPoolExecutor", RecordingPool)
    return sent


def test_a_second_import_of_a_folder_skips_everything_without_decoding(
    app, runner, picture, tmp_path, sent_to_decode
):
    folder = tmp_path / "shoot"
    folder.mkdir()
    for seed in range(FILES):
        picture(seed=seed, size=(1600, 1200)).rename(folder / f"IMG_{seed:02d}.jpg")

    def run(report):
        result = runner.invoke(
            args=["import", str(folder), "--workers", "2", "--report", str(report)]
        )
        assert result.exit_code == 0, result.output
        return result.output, json.loads(report.read_text())["files"]

    _output, first = run(tmp_path / "first.json")
    assert [f["status"] for f in first] == ["imported"] * FILES
    assert len(sent_to_decode) == FILES
    sent_to_decode.clear()

    # How fast that is, is measured by `scripts/bench ingest` (its "second run" row).
    output, second = run(tmp_path / "second.json")
    assert "8 files: 0 imported, 8 duplicates, 0 rejected." in output
    assert [(f["path"], f["status"], f["photo_id"]) for f in second] == [
        (f["path"], "duplicate", f["photo_id"]) for f in first
    ]
    assert sent_to_decode == []  # no file went to a worker: nothing was decoded
    assert Photo.query.count() == FILES
