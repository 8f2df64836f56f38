"""A 200 MB photo sent to gunicorn is spooled to disk and stored, never held in memory."""

import http.client
import http.cookiejar
import os
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from archive.extensions import db
from archive.licences.services import licence_by_code
from archive.photos.models import Photo
from tests.fixtures.app import PASSWORD
from tests.photos.test_decode_memory import rgba_png_declaring

MB = 1024 * 1024
# Flask-Login's strong session protection ties the session to the browser it was made in.
AGENT = "archive-memory-test"


def status_kb(pid: int, field: str) -> int:
    """Return a memory figure (VmRSS, VmHWM…) of a process, in kB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def children_of(pid: int) -> list[int]:
    """Return the processes whose parent is pid, from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and status_kb(int(entry.name), "PPid") == pid:
                children.append(int(entry.name))
        except (OSError, LookupError):
            continue  # a process that ended while we looked
    return children


def gunicorn_worker(base: str) -> int:
    """Return the pid of the one worker of the gunicorn this test started to serve base."""
    bind = urllib.parse.urlsplit(base).netloc.encode()
    [master] = [
        pid for pid in children_of(os.getpid()) if bind in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    [worker] = children_of(master)
    return worker


def motion_photo(picture, path: Path, size: int) -> Path:
    """Write a real JPEG followed by other data up to `size` bytes, as phones' motion photos
    carry their video after the picture. Pillow decodes only the picture; every byte is
    still received, hashed and stored."""
    with open(path, "wb") as out:
        out.write(picture(size=(1280, 960)).read_bytes())
        block = os.urandom(MB)
        while out.tell() + MB <= size:
            out.write(block)
        out.write(block[: size - out.tell()])
    return path


class Session:
    """A logged-in contributor who sends files the way a browser does: streamed from disk."""

    def __init__(self, base: str, email: str):
        self.address = urllib.parse.urlsplit(base)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.addheaders = [("User-Agent", AGENT)]
        login = urllib.parse.urlencode({"email": email, "password": PASSWORD}).encode()
        opener.open(f"{base}/login", data=login, timeout=30).close()
        self.cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        self.licence_id = licence_by_code("INST-USE").id

    def upload(self, path: Path) -> str:
        """Post one photo to /upload that must be accepted; return where it led."""
        status, location, page = self.post(path)
        assert status == 302, page
        return location

    def post(self, path: Path) -> tuple[int, str | None, str]:
        """Post one photo to /upload, read from disk 1 MB at a time: status, Location, page."""
        boundary = uuid.uuid4().hex
        fields = {
            "photos-0-title": path.stem,
            "photos-0-alt_text": "A technician at a bench",
            "photos-0-licence": str(self.licence_id),
            "photos-0-new_person_role": "0",
            "photos-0-new_person_department": "0",
            "photos-0-no_identifiable_people": "y",
        }
        head = "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        )
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos-0-file"; '
            f'filename="{path.name}"\r\nContent-Type: image/jpeg\r\n\r\n'
        )
        tail = f"\r\n--{boundary}--\r\n".encode()

        def body():
            yield head.encode()
            with open(path, "rb") as source:
                while chunk := source.read(MB):
                    yield chunk
            yield tail

        connection = http.client.HTTPConnection(
            self.address.hostname, self.address.port, timeout=60
        )
        connection.request(
            "POST",
            "/upload",
            body=body(),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(len(head.encode()) + path.stat().st_size + len(tail)),
                "Cookie": self.cookie,
                "User-Agent": AGENT,
            },
        )
        response = connection.getresponse()
        page = response.read().decode()
        connection.close()
        return response.status, response.getheader("Location"), page


def test_a_200_mb_upload_is_stored_without_the_worker_holding_it_in_memory(
    app, gunicorn_server, make_user, picture, tmp_path
):
    base = gunicorn_server(workers=1)
    worker = gunicorn_worker(base)
    session = Session(base, make_user("contributor").email)
    # A first, small upload loads everything an upload needs (Pillow, the index…) once.
    assert session.upload(picture()) == "/my-uploads"

    big = motion_photo(picture, tmp_path / "PXL_20261120_MP.jpg", 200 * MB)
    # Writing 5 to clear_refs resets the peak (VmHWM) to what the worker holds now.
    Path(f"/proc/{worker}/clear_refs").write_text("5")
    before = status_kb(worker, "VmRSS")
    led_to = session.upload(big)
    peak = status_kb(worker, "VmHWM")

    assert led_to == "/my-uploads"
    db.session.rollback()
    photo = db.session.execute(db.select(Photo).filter_by(size_bytes=big.stat().st_size)).scalar()
    assert photo is not None and photo.title == big.stem
    stored = Path(app.config["MEDIA_PATH"]) / photo.storage_key
    assert stored.stat().st_size == 200 * MB
    rise_mb = (peak - before) / 1024
    print(f"worker RSS before {before / 1024:.1f} MB, peak {peak / 1024:.1f} MB, +{rise_mb:.1f} MB")
    assert rise_mb <= 50, f"the worker's peak memory rose by {rise_mb:.1f} MB"
    # Nothing of the upload is left waiting in the instance's tmp folder.
    assert list(Path(app.config["UPLOAD_TMP_PATH"]).iterdir()) == []


def test_a_small_png_declaring_119_megapixels_of_rgba_stays_within_the_memory_budget(
    app, gunicorn_server, make_user, picture, tmp_path, monkeypatch
):
    budget_mb = 512
    monkeypatch.setenv("ARCHIVE_DECODE_MEMORY_MB", str(budget_mb))
    base = gunicorn_server(workers=1)
    worker = gunicorn_worker(base)
    session = Session(base, make_user("contributor").email)
    assert session.upload(picture()) == "/my-uploads"  # loads what an upload needs, once

    bomb = tmp_path / "poster.png"
    bomb.write_bytes(rgba_png_declaring(10_900, 10_900))  # 119 MP: 476 MB as RGBA pixels
    assert bomb.stat().st_size < 600_000
    Path(f"/proc/{worker}/clear_refs").write_text("5")
    status, _location, page = session.post(bomb)
    peak_mb = status_kb(worker, "VmHWM") / 1024

    assert status == 422
    assert "the picture would need about" in page and "(0.5 GB)" in page
    print(f"worker peak {peak_mb:.0f} MB against a budget of {budget_mb} MB")
    assert peak_mb < budget_mb
