"""A folder like a real shoot: every file imported or refused with a reason, none aborts the run."""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from archive.extensions import db
from archive.photos import bulk
from archive.photos.models import DerivativeKind, Photo
from archive.storage import get_storage
from tests.photos.device_files import device_files
from tests.photos.test_upload import entry, post_upload

ROOT = Path(__file__).resolve().parents[2]


def display_of(photo: Photo) -> Image.Image:
    """Return the photo's display derivative as decoded from storage."""
    with get_storage().open(photo.derivative(DerivativeKind.DISPLAY).storage_key) as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image.convert("RGB")


def import_folder(runner, folder, tmp_path, workers="2"):
    report = tmp_path / "report.json"
    result = runner.invoke(
        args=["import", str(folder), "--workers", workers, "--report", str(report)]
    )
    files = {
        entry["path"].rsplit("/", 1)[-1]: entry for entry in json.loads(report.read_text())["files"]
    }
    return result, files


@pytest.fixture
def shoot(tmp_path):
    folder = tmp_path / "shoot"
    folder.mkdir()
    made = device_files()
    for made_file in made:
        (folder / made_file.name).write_bytes(made_file.content)
    return folder, made


def test_a_folder_of_real_device_files_imports_with_every_file_accounted_for(
    app, runner, shoot, tmp_path
):
    folder, made = shoot
    result, files = import_folder(runner, folder, tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(files) == sorted(f.name for f in made)
    for device_file in made:
        record = files[device_file.name]
        if device_file.looks_right is None:
            assert record["status"] == "rejected", record
            assert record["reason"] and not record["unexpected"], record
            continue
        assert record["status"] == "imported", record
        photo = db.session.get(Photo, record["photo_id"])
        image = display_of(photo)
        device_file.looks_right(image)
        # Recorded as it is seen: the same shape as the upright derivative.
        assert (photo.width > photo.height) == (image.width > image.height), device_file.name
    # A copy of a refused file is refused for the same reason.
    assert files["IMG_0010_cut.jpg"]["reason"] == files["IMG_0010_cut copy.jpg"]["reason"]
    # Kept only in part, and said so.
    assert any("page" in note for note in files["scan_0008_three_pages.tif"]["notes"])
    assert any("frame" in note for note in files["clip_0009_animated.webp"]["notes"])
    assert db.session.get(Photo, files["PXL_0003.MP.jpg"]["photo_id"]).format == "MPO"
    assert runner.invoke(args=["check"]).exit_code == 0


def test_the_same_files_through_the_upload_form_never_give_a_5xx(app, client, login_as, shoot):
    folder, made = shoot
    login_as("contributor")
    for device_file in made:
        response = post_upload(client, entry(0, folder / device_file.name))
        page = response.get_data(as_text=True)
        if device_file.looks_right is None:
            assert response.status_code == 422, (device_file.name, response.status_code)
            assert f"{device_file.name}: " in page, page
        else:
            assert response.status_code == 302, (device_file.name, page)
    names = {photo.original_filename for photo in Photo.query.all()}
    assert names == {f.name for f in made if f.looks_right is not None}


def test_an_unexpected_error_in_one_file_is_reported_and_the_run_goes_on(
    app, runner, shoot, tmp_path, monkeypatch
):
    folder, made = shoot
    real_store = bulk.store_photo

    def store_or_fail(analysis, *args, **kwargs):
        if analysis.source.name == "IMG_0001.jpg":
            raise KeyError("a bug in the pipeline")
        return real_store(analysis, *args, **kwargs)

    monkeypatch.setattr(bulk, "store_photo", store_or_fail)
    result, files = import_folder(runner, folder, tmp_path)
    assert result.exit_code == 1
    failed = files["IMG_0001.jpg"]
    assert failed["status"] == "rejected" and failed["unexpected"] is True
    assert "unexpected" in failed["reason"] and "KeyError" in failed["reason"]
    imported = [f for f in files.values() if f["status"] == "imported"]
    assert len(imported) == sum(f.looks_right is not None for f in made) - 1
    last_line = result.output.strip().splitlines()[-1]
    assert last_line.startswith("1 of them failed unexpectedly"), result.output
    # The person sees the file's name once; the traceback is in the log file the line names.
    assert "Traceback" not in result.output
    assert result.output.count("IMG_0001.jpg") == 1
    log_file = Path(last_line.split("the details are in ")[1].split("; ")[0])
    assert "KeyError: 'a bug in the pipeline'" in log_file.read_text()
    assert runner.invoke(args=["check"]).exit_code == 0


def test_an_import_of_50_files_prints_only_its_own_lines(app, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for index in range(50):
        image = Image.effect_noise((160, 120), 20 + index).convert("RGB")
        image_format = ("JPEG", "PNG", "WEBP")[index % 3]
        image.save(folder / f"file_{index:02d}.{image_format.lower()}", image_format)
    (folder / "file_00.jpeg").write_bytes(b"not a picture at all")
    finished = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "archive", "import", str(folder)],
        cwd=ROOT,
        env={**os.environ, "ARCHIVE_INSTANCE_PATH": app.instance_path},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    lines = [line for line in (finished.stdout + finished.stderr).splitlines() if line.strip()]
    # The progress bar, one line for the refused file, and the summary: nothing else.
    ours = ("Importing", f"rejected {folder / 'file_00.jpeg'}: ", "50 files: 49 imported")
    strangers = [line for line in lines if not line.startswith(ours)]
    assert strangers == [], strangers
    assert sum(line.startswith("rejected") for line in lines) == 1


def test_real_camera_files_import_beside_them(app, runner, shoot, samples, tmp_path):
    """The real camera files (DSLRs, phones with GPS, every orientation) in the same run."""
    folder, made = shoot
    real = sorted(path for path in samples.rglob("*.jpg"))
    for path in real:
        shutil.copy(path, folder / f"{path.parent.name}_{path.name}")
    result, files = import_folder(runner, folder, tmp_path)
    assert result.exit_code == 0, result.output
    assert len(files) == len(made) + len(real)
    refused = {name for name, record in files.items() if record["status"] == "rejected"}
    expected = {f.name for f in made if f.looks_right is None} | {"camera_corrupted.jpg"}
    assert refused == expected, {name: files[name]["reason"] for name in refused}
    # Recorded as seen: every orientation sample has the upright derivative's proportions.
    for name in (n for n in files if n.startswith("orientation_")):
        photo = db.session.get(Photo, files[name]["photo_id"])
        image = display_of(photo)
        assert photo.width / photo.height == pytest.approx(image.width / image.height, rel=0.01)
