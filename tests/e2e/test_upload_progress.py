"""The upload form shows each file's progress, and says clearly when the connection drops."""

import os
import socket
from pathlib import Path

import pytest

from archive.extensions import db
from archive.photos.models import Photo
from tests.conftest import PASSWORD

MB = 1024 * 1024

# Keeps every value the progress bars showed, as [label, value], in the order shown:
# the page replaces itself with the result when done.
RECORD_PROGRESS = """() => {
  window.progressSeen = [];
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      const bar = change.target;
      if (bar.tagName !== "PROGRESS") return;
      window.progressSeen.push([bar.labels[0].textContent, bar.value]);
    });
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["value"] });
}"""


def padded_photo(picture, path: Path, size: int) -> Path:
    """Write a real JPEG followed by other data (as in phones' motion photos) up to size."""
    data = picture(size=(1200, 900)).read_bytes()
    path.write_bytes(data + os.urandom(size - len(data)))
    return path


@pytest.fixture
def upload_page(browser, live_server, make_user):
    """A desktop browser page on /upload, logged in as a contributor."""
    technician = make_user("contributor", name="Ade Technician")
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("#email", technician.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/upload")
    yield page
    context.close()


def fill_two_photos(page, first: Path, second: Path) -> None:
    for index, (path, title) in enumerate([(first, "Cryostat"), (second, "Wind tunnel")]):
        page.set_input_files(f"#photos-{index}-file", str(path))
        page.fill(f"#photos-{index}-title", title)
        page.fill(f"#photos-{index}-alt_text", f"The {title.lower()} in the workshop")
        page.check(f"#photos-{index}-no_identifiable_people")


def test_each_file_shows_its_progress_until_the_result(
    upload_page, live_server, screenshot, picture, tmp_path
):
    page = upload_page
    first = padded_photo(picture, tmp_path / "cryostat.jpg", 6 * MB)
    second = padded_photo(picture, tmp_path / "wind-tunnel.jpg", 6 * MB)
    fill_two_photos(page, first, second)
    page.evaluate(RECORD_PROGRESS)
    # A slow uplink (8 MB/s) so the bars can be seen moving.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 8 * MB},
    )
    page.click("form#upload-form button[type=submit]")

    bars = page.get_by_role("progressbar")
    assert bars.count() == 2
    first_bar = page.get_by_role("progressbar", name="cryostat.jpg (6.0 MB)")
    assert first_bar.get_attribute("max") == "100"
    screenshot(page, "sending")

    page.wait_for_url(f"{live_server}/my-uploads")
    assert "2 photos uploaded and awaiting review." in page.inner_text(".flashes")
    seen = page.evaluate("window.progressSeen")
    first_label, second_label = "cryostat.jpg (6.0 MB)", "wind-tunnel.jpg (6.0 MB)"
    for label in (first_label, second_label):
        values = [value for name, value in seen if name == label]
        assert values == sorted(values) and values[-1] == 100, (label, values)
        assert any(0 < value < 100 for value in values), (label, values)  # seen moving
    # One file after the other, as they are sent: the second starts once the first is done.
    assert seen.index([first_label, 100]) < min(
        index for index, (name, value) in enumerate(seen) if name == second_label and value > 0
    )
    screenshot(page, "result")
    db.session.rollback()
    assert sorted(p.title for p in Photo.query.all()) == ["Cryostat", "Wind tunnel"]


def drop_connection_after_1_mb(wsgi_app):
    """Wrap an app so that an upload's connection is cut once 1 MB of it has arrived."""

    def app(environ, start_response):
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == "/upload":
            environ["wsgi.input"].read(MB)
            environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
            return []
        return wsgi_app(environ, start_response)

    return app


def test_a_dropped_connection_says_which_files_did_not_arrive(
    app, upload_page, live_server, screenshot, picture, tmp_path
):
    page = upload_page
    # Larger than the socket buffers, so the browser is still sending when the line drops.
    first = padded_photo(picture, tmp_path / "cryostat.jpg", 24 * MB)
    second = padded_photo(picture, tmp_path / "wind-tunnel.jpg", 24 * MB)
    fill_two_photos(page, first, second)
    served = app.wsgi_app
    app.wsgi_app = drop_connection_after_1_mb(served)
    page.click("form#upload-form button[type=submit]")

    alert = page.get_by_role("alert")
    alert.wait_for()
    message = alert.inner_text()
    assert "connection to the archive was lost" in message
    assert "nothing from this upload was stored" in message
    assert "did not arrive: cryostat.jpg, wind-tunnel.jpg" in message
    assert "press Upload to send them again" in message
    assert page.input_value("#photos-1-title") == "Wind tunnel"  # nothing typed is lost
    screenshot(page, "dropped")
    db.session.rollback()
    assert Photo.query.count() == 0

    # The line is back: the same form, sent again, goes through.
    app.wsgi_app = served
    page.click("form#upload-form button[type=submit]")
    page.wait_for_url(f"{live_server}/my-uploads")
    assert "2 photos uploaded and awaiting review." in page.inner_text(".flashes")


def answer_lost_after_storing(wsgi_app):
    """Wrap an app so that an upload is stored but its answer never reaches the browser."""

    def app(environ, start_response):
        response = wsgi_app(environ, start_response)
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == "/upload":
            environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
            return []
        return response

    return app


def test_a_connection_lost_after_sending_says_to_check_before_sending_again(
    app, upload_page, live_server, picture, tmp_path
):
    page = upload_page
    fill_two_photos(page, picture(seed=1), picture(seed=2))
    served = app.wsgi_app
    app.wsgi_app = answer_lost_after_storing(served)
    page.click("form#upload-form button[type=submit]")

    message = page.get_by_role("alert").inner_text()
    assert "Every file was sent, but the connection was lost before the archive answered" in message
    assert "Check My uploads before sending again" in message
    db.session.rollback()
    assert Photo.query.count() == 2  # they did arrive

    app.wsgi_app = served
    page.click("form#upload-form button[type=submit]")
    page.wait_for_url(f"{live_server}/my-uploads")
    already = "is already in the archive; it was not added twice"
    assert page.inner_text(".flashes").count(already) == 2
    db.session.rollback()
    assert Photo.query.count() == 2


def test_a_file_over_the_limit_is_refused_before_it_is_sent(app, upload_page, picture, tmp_path):
    app.config["MAX_UPLOAD_MB"] = 1
    page = upload_page
    page.reload()  # the form states the limit it was served with
    big = padded_photo(picture, tmp_path / "scan.jpg", 2 * MB)
    fill_two_photos(page, picture(), big)
    page.click("form#upload-form button[type=submit]")
    message = page.get_by_role("alert").inner_text()
    assert "scan.jpg is 2.0 MB. The limit is 1 MB per file" in message
    assert "Nothing was sent" in message
    db.session.rollback()
    assert Photo.query.count() == 0


def test_a_refused_photo_comes_back_with_its_reason_and_the_form_sends_again(
    upload_page, live_server, screenshot, picture, tmp_path
):
    page = upload_page
    notes = tmp_path / "notes.jpg"
    notes.write_text("Bring the calibration kit.\n")
    fill_two_photos(page, picture(), notes)
    page.click("form#upload-form button[type=submit]")

    summary = page.locator(".error-summary", has_text="needs your attention")
    summary.wait_for()
    assert "Already stored: " in summary.inner_text()
    assert "notes.jpg: not an image: the file is a text file" in page.inner_text("main")
    # The page that came back is enhanced too: its upload shows progress and goes through.
    page.fill("#photos-0-title", "")  # already stored: its entry is cleared, as the page says
    page.fill("#photos-0-alt_text", "")
    page.set_input_files("#photos-1-file", str(picture()))
    page.fill("#photos-1-alt_text", "The wind tunnel in the workshop")
    page.check("#photos-1-no_identifiable_people")
    screenshot(page, "refused")
    page.click("form#upload-form button[type=submit]")
    assert page.get_by_role("progressbar").count() == 1
    page.wait_for_url(f"{live_server}/my-uploads")
    assert "1 photo uploaded and awaiting review." in page.inner_text(".flashes")
