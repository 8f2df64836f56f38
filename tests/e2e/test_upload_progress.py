"""The upload form shows each file's progress, and says clearly when the connection drops."""

import os
import socket
import struct
import threading
import urllib.parse
from pathlib import Path

import pytest

from archive.extensions import db
from archive.photos.models import Photo

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
def network(upload_page):
    """Set the page's network as Chromium's developer tools do: network(upload_mb_per_s=2),
    network(offline=True), network() for a fast line again."""
    cdp = upload_page.context.new_cdp_session(upload_page)
    cdp.send("Network.enable")

    def set_conditions(*, upload_mb_per_s: float = -1, offline: bool = False) -> None:
        conditions = {"offline": offline, "latency": 0, "downloadThroughput": -1}
        conditions["uploadThroughput"] = upload_mb_per_s * MB if upload_mb_per_s > 0 else -1
        cdp.send("Network.emulateNetworkConditions", conditions)

    return set_conditions


def fill_two_photos(page, first: Path, second: Path) -> None:
    for index, (path, title) in enumerate([(first, "Cryostat"), (second, "Wind tunnel")]):
        page.set_input_files(f"#photos-{index}-file", str(path))
        page.fill(f"#photos-{index}-title", title)
        page.fill(f"#photos-{index}-alt_text", f"The {title.lower()} in the workshop")
        page.check(f"#photos-{index}-no_identifiable_people")


def test_each_file_shows_its_progress_until_the_result(
    upload_page, network, live_server, screenshot, picture, tmp_path
):
    page = upload_page
    first = padded_photo(picture, tmp_path / "cryostat.jpg", 6 * MB)
    second = padded_photo(picture, tmp_path / "wind-tunnel.jpg", 6 * MB)
    fill_two_photos(page, first, second)
    page.evaluate(RECORD_PROGRESS)
    network(upload_mb_per_s=8)  # a slow uplink, so the bars can be seen moving
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


class Line:
    """A relay on 127.0.0.1 between the browser and the live server, whose line can fail.

    After drop_after(n), each connection is reset once the browser has sent n bytes on it;
    after lose_answers(), it is reset instead of passing on what the server answers.
    """

    def __init__(self, server: str):
        self.server = urllib.parse.urlsplit(server)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.send_limit: int | None = None
        self.answers_lost = False
        threading.Thread(target=self._accept, daemon=True).start()

    def drop_after(self, sent: int) -> None:
        self.send_limit = sent

    def lose_answers(self) -> None:
        self.answers_lost = True

    def restore(self) -> None:
        self.send_limit, self.answers_lost = None, False

    def close(self) -> None:
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                browser, _address = self.listener.accept()
                server = socket.create_connection((self.server.hostname, self.server.port))
            except OSError:
                return  # the relay is closed
            for source, target in ((browser, server), (server, browser)):
                threading.Thread(
                    target=self._pump, args=(source, target, source is browser), daemon=True
                ).start()

    def _pump(self, source: socket.socket, target: socket.socket, from_browser: bool) -> None:
        sent, failed = 0, False
        try:
            while data := source.recv(64 * 1024):
                sent += len(data)
                if from_browser:
                    failed = self.send_limit is not None and sent > self.send_limit
                else:
                    failed = self.answers_lost
                if failed:
                    break
                target.sendall(data)
        except OSError:
            pass  # the other direction closed the pair
        for end in (source, target):
            try:
                if failed:  # linger 0: closing resets the connection, as a dropped line does
                    end.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                end.shutdown(socket.SHUT_RD)  # wakes the other direction's recv
            except OSError:
                pass  # already closed by the other direction
            end.close()


@pytest.fixture
def line(live_server):
    """A relay in front of the live server whose line the test can make fail."""
    relay = Line(live_server)
    yield relay
    relay.close()


def test_a_dropped_connection_says_which_files_did_not_arrive(
    upload_page, line, screenshot, picture, tmp_path
):
    page = upload_page
    page.goto(f"{line.url}/upload")
    # Larger than the sockets' buffers, so the browser is still sending when the line drops.
    first = padded_photo(picture, tmp_path / "cryostat.jpg", 12 * MB)
    second = padded_photo(picture, tmp_path / "wind-tunnel.jpg", 12 * MB)
    fill_two_photos(page, first, second)
    line.drop_after(MB)
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
    line.restore()
    page.click("form#upload-form button[type=submit]")
    page.wait_for_url(f"{line.url}/my-uploads")
    assert "2 photos uploaded and awaiting review." in page.inner_text(".flashes")


def test_a_connection_lost_after_sending_says_to_check_before_sending_again(
    upload_page, line, picture, tmp_path
):
    page = upload_page
    page.goto(f"{line.url}/upload")
    fill_two_photos(page, picture(seed=1), picture(seed=2))
    line.lose_answers()
    page.click("form#upload-form button[type=submit]")

    message = page.get_by_role("alert").inner_text()
    assert "Every file was sent, but the connection was lost before the archive answered" in message
    assert "Check My uploads before sending again" in message
    db.session.rollback()
    assert Photo.query.count() == 2  # they did arrive

    line.restore()
    page.click("form#upload-form button[type=submit]")
    page.wait_for_url(f"{line.url}/my-uploads")
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

    summary = page.locator(".error-summary", has_text="There is a problem")
    summary.wait_for()
    assert "Already stored: " in summary.inner_text()
    assert "notes.jpg: not an image: the file is a text file" in summary.inner_text()
    # The refused file is still chosen; the stored one is not, so it is not sent twice.
    chosen = "i => Array.from(i.files).map(f => f.name)"
    assert page.eval_on_selector("#photos-1-file", chosen) == ["notes.jpg"]
    assert page.eval_on_selector("#photos-0-file", chosen) == []
    assert "choose these again" not in summary.inner_text()
    # Its thumbnails finish loading first: leaving mid-image drops a connection the test
    # server is still sending a file on, which it then never closes (a ResourceWarning).
    page.wait_for_function("[...document.images].every(image => image.complete)")
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
