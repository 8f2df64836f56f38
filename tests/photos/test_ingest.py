"""The ingest pipeline: all or nothing, duplicates recognised, bad files refused with a reason."""

import io
import json
import random
from datetime import datetime

import pytest
from PIL import Image

from archive.core.intake import RejectedUpload, clean_filename, sha256_of
from archive.photos.ingest import PhotoDetails, ingest_file
from archive.photos.jpeg_integrity import jpeg_damage
from archive.photos.models import Photo, PhotoStatus
from archive.search.index import indexed_ids, searched_through
from archive.search.log import photos_changed_after
from archive.storage import StorageError, get_storage
from tests.fixtures.app import ON_BOTH_STORAGES, failing_commit
from tests.fixtures.photos import row_counts, stored_files

NOTHING = {"Photo": 0, "Derivative": 0, "ConsentForm": 0}


def details(**fields) -> PhotoDetails:
    return PhotoDetails(**{"title": "Lathe work", "no_identifiable_people": True, **fields})


@ON_BOTH_STORAGES
def test_a_good_photo_becomes_one_row_three_derivatives_and_four_files(app, picture):
    path = picture(
        size=(1200, 900),
        taken_at=datetime(2021, 6, 1, 9, 30),
        camera=("Canon", "EOS R6"),
        gps=(52.94, -1.19),
    )
    outcome = ingest_file(path, details(), original_filename="IMG_1.JPG", uploaded_by=None)
    photo = outcome.photo
    assert not outcome.duplicate
    assert (photo.status, photo.format, photo.width, photo.height) == (
        PhotoStatus.PENDING,
        "JPEG",
        1200,
        900,
    )
    assert (photo.camera_make, photo.camera_model, photo.taken_at.year) == ("Canon", "EOS R6", 2021)
    assert photo.gps_latitude == pytest.approx(52.94, abs=1e-4)
    assert photo.gps_longitude == pytest.approx(-1.19, abs=1e-4)
    assert row_counts() == {"Photo": 1, "Derivative": 3, "ConsentForm": 0}
    assert len(stored_files(app)) == 4
    assert photo.storage_key == f"originals/{photo.sha256[:2]}/{photo.sha256}.jpg"


@ON_BOTH_STORAGES
def test_the_same_file_twice_is_one_photo(app, picture):
    path = picture()
    first = ingest_file(path, details(), original_filename="a.jpg", uploaded_by=None)
    again = ingest_file(path, details(title="Other"), original_filename="b.jpg", uploaded_by=None)
    assert again.duplicate and again.photo.id == first.photo.id
    assert row_counts()["Photo"] == 1
    assert len(stored_files(app)) == 4


def test_bad_files_are_refused_with_a_reason_and_leave_nothing(app, bad_file):
    path, name, words = bad_file
    app.config["MAX_IMAGE_PIXELS"] = 120_000_000
    with pytest.raises(RejectedUpload) as refused:
        ingest_file(path, details(), original_filename=name, uploaded_by=None)
    assert words.lower() in str(refused.value).lower()
    assert "Traceback" not in str(refused.value)
    assert row_counts() == NOTHING
    assert stored_files(app) == []


def test_oversize_files_are_refused_by_their_size(app, picture):
    app.config["MAX_UPLOAD_MB"] = 1
    path = picture(size=(4000, 3000))
    assert path.stat().st_size > 1024 * 1024
    with pytest.raises(RejectedUpload, match=r"too large: \d+\.\d MB, the limit is 1 MB"):
        ingest_file(path, details(), original_filename="big.jpg", uploaded_by=None)
    assert row_counts() == NOTHING and stored_files(app) == []


def fail_after(monkeypatch, writes_allowed: int) -> None:
    """Make the app's store fill up after a number of writes: a real fault at the boundary."""
    storage = get_storage()
    put_file = storage.put_file
    remaining = iter(range(writes_allowed))

    def put_or_fail(key, path):
        if next(remaining, None) is None:
            raise StorageError(f"could not store {key}: No space left on device")
        return put_file(key, path)

    monkeypatch.setattr(storage, "put_file", put_or_fail)


@ON_BOTH_STORAGES
@pytest.mark.parametrize("writes_allowed", [0, 1, 3])
def test_a_storage_failure_mid_ingest_leaves_no_row_and_no_file(
    app, picture, monkeypatch, writes_allowed
):
    fail_after(monkeypatch, writes_allowed)
    with pytest.raises(StorageError):
        ingest_file(picture(), details(), original_filename="a.jpg", uploaded_by=None)
    assert row_counts() == NOTHING
    assert stored_files(app) == []


@ON_BOTH_STORAGES
def test_a_database_failure_removes_the_files_just_stored(app, picture, monkeypatch):
    # The rows are written last; if that fails, the files written for them go too.
    from archive.storage import staging

    def refuse(*_args, **_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(staging, "write_transaction", refuse)
    with pytest.raises(RuntimeError):
        ingest_file(picture(), details(), original_filename="a.jpg", uploaded_by=None)
    monkeypatch.undo()
    assert row_counts() == NOTHING
    assert stored_files(app) == []


@ON_BOTH_STORAGES
def test_a_failed_ingest_keeps_files_another_photo_uses(app, picture, monkeypatch):
    # Content-addressed files can be shared: cleaning up must not delete someone else's.
    path = picture()
    kept = ingest_file(path, details(), original_filename="a.jpg", uploaded_by=None).photo
    before = stored_files(app)
    fail_after(monkeypatch, 0)
    with pytest.raises(StorageError):
        ingest_file(picture(), details(), original_filename="b.jpg", uploaded_by=None)
    assert stored_files(app) == before
    assert kept.storage_key in before


@ON_BOTH_STORAGES
def test_a_failed_commit_removes_its_own_files_not_an_identical_one_already_stored(app, picture):
    # Files are named by their hash: the same original may already be in the store, put
    # there by an upload of the same file about to commit, or by an import killed before
    # its commit. The failed ingest found it there, so it did not store it: it stays.
    path = picture()
    sha256 = sha256_of(path)
    original = f"originals/{sha256[:2]}/{sha256}.jpg"
    get_storage().put_file(original, path)
    with failing_commit(), pytest.raises(RuntimeError, match="the database went away"):
        ingest_file(path, details(), original_filename="a.jpg", uploaded_by=None)
    assert row_counts() == NOTHING
    assert stored_files(app) == [original]  # the derivatives it stored itself are gone


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"progressive": True},
        {"restart_marker_blocks": 4},
        {"restart_marker_rows": 1},
        {"restart_marker_rows": 2, "progressive": True, "subsampling": 2},
    ],
)
def test_jpeg_damage_check_passes_intact_files_and_catches_lost_data(tmp_path, options):
    noise = random.Random(len(options)).randbytes(640 * 480 * 3)
    image = Image.frombytes("RGB", (640, 480), noise)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, **options)
    intact = tmp_path / "intact.jpg"
    intact.write_bytes(buffer.getvalue())
    assert jpeg_damage(intact) is None
    if "restart_marker_blocks" in options or "restart_marker_rows" in options:
        data = bytearray(buffer.getvalue())
        middle = len(data) // 2
        data[middle : middle + 4000] = b"\xff" * 4000  # a run of lost bytes, as in corrupted.jpg
        damaged = tmp_path / "damaged.jpg"
        damaged.write_bytes(bytes(data))
        assert jpeg_damage(damaged) in (
            "part of the picture data is missing or corrupt",
            "the file's structure is broken",
        )


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("C:\\Users\\tech\\IMG_0001.JPG", "IMG_0001.JPG"),
        ("evil\x00.jpg", "evil.jpg"),
        ("photo\u202egnp.jpg", "photognp.jpg"),
        ("a" * 300 + ".jpg", "a" * 190 + ".jpg"),
        ("", "upload"),
        ("..", "upload"),
    ],
)
def test_hostile_filenames_are_cleaned_for_display(sent, shown):
    assert clean_filename(sent) == shown


def test_import_reports_every_file(app, runner, picture, bad_file, tmp_path):
    path, _name, words = bad_file
    good = picture()
    report = tmp_path / "report.json"
    result = runner.invoke(
        args=["import", str(good), str(good), str(path), "--report", str(report), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    files = json.loads(report.read_text())["files"]
    assert [f["status"] for f in files] == ["imported", "duplicate", "rejected"]
    assert files[0]["photo_id"] == files[1]["photo_id"] is not None
    assert words.lower() in files[2]["reason"].lower()
    assert files[2]["photo_id"] is None
    assert row_counts() == {"Photo": 1, "Derivative": 3, "ConsentForm": 0}
    assert len(stored_files(app)) == 4  # the good photo's original and derivatives, nothing else
    assert "1 imported, 1 duplicates, 1 rejected" in result.output


def test_import_takes_a_manifest_and_runs_workers(app, runner, picture, tmp_path):
    folder = tmp_path / "shoot"
    folder.mkdir()
    for seed in range(3):
        picture(seed=seed).rename(folder / f"IMG_{seed}.jpg")
    (folder / ".DS_Store").write_bytes(b"junk")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "filename,title,alt_text,photographer,licence,people\n"
        "IMG_0.jpg,Lathe work,A lathe,Jo Whitfield,CC-BY-4.0,Priya Raman; Ben Carter\n"
        "IMG_1.jpg,Glassblowing,A flame,Sam Okoye,,Priya Raman\n"
    )
    result = runner.invoke(
        args=[
            "import",
            str(folder),
            "--manifest",
            str(manifest),
            "--licence",
            "INST-USE",
            "--workers",
            "2",
        ]
    )
    assert result.exit_code == 0, result.output
    photos = {p.original_filename: p for p in Photo.query.all()}
    assert set(photos) == {"IMG_0.jpg", "IMG_1.jpg", "IMG_2.jpg"}
    assert photos["IMG_0.jpg"].licence.code == "CC-BY-4.0"
    assert photos["IMG_1.jpg"].licence.code == "INST-USE"
    assert [p.name for p in photos["IMG_0.jpg"].people] == ["Ben Carter", "Priya Raman"]
    # The same new name in two rows is one person.
    assert photos["IMG_1.jpg"].people[0].id == photos["IMG_0.jpg"].people[1].id
    # The index is brought up to date once, at the end of the import, with nothing left queued.
    assert indexed_ids() == {photo.id for photo in photos.values()}
    assert photos_changed_after(searched_through()) == set()


def test_import_refuses_an_unknown_licence_code(runner, picture):
    result = runner.invoke(args=["import", str(picture()), "--licence", "NOPE"])
    assert result.exit_code == 2
    assert "no licence has the code 'NOPE'" in result.output


@ON_BOTH_STORAGES
def test_a_polyglot_is_stored_but_only_its_picture_reaches_a_derivative(app, picture):
    # A valid JPEG with an HTML page appended: accepted as the picture it is; the page is
    # kept only in the original (never served as is) and gone from every derivative.
    path = picture()
    path.write_bytes(path.read_bytes() + b"<html><script>alert(1)</script></html>")
    photo = ingest_file(path, details(), original_filename="poly.jpg", uploaded_by=None).photo
    storage = get_storage()
    for derivative in photo.derivatives:
        with storage.open(derivative.storage_key) as stored:
            assert b"<script>" not in stored.read()
