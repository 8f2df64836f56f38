"""Under gunicorn with two workers, eight people uploading, editing and approving at once
leave an index that holds exactly the indexable photos, and nobody sees a 5xx."""

import http.cookiejar
import io
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import stream_encode_multipart
from whoosh.index import open_dir

from archive.extensions import db
from archive.licences.services import licence_by_code
from archive.photos.models import Photo
from archive.search.documents import INDEXED
from archive.search.index import searched_through
from archive.search.log import photos_changed_after
from tests.fixtures.app import PASSWORD

CLIENTS = 8
ROUNDS = 3


@pytest.fixture
def gunicorn(gunicorn_server):
    return gunicorn_server()


class Browser:
    """One person's session: cookies kept, every status code recorded."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.statuses: list[int] = []

    def send(self, path: str, data: bytes | None = None, content_type: str = "") -> str:
        request = urllib.request.Request(self.base + path, data=data)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=60) as response:
                self.statuses.append(response.status)
                return response.read().decode()
        except urllib.error.HTTPError as error:
            self.statuses.append(error.code)
            return error.read().decode()

    def post(self, path: str, fields: dict) -> str:
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        return self.send(path, body, "application/x-www-form-urlencoded")

    def upload(self, picture: Path, title: str) -> str:
        fields = MultiDict(
            {
                "photos-0-title": title,
                "photos-0-alt_text": f"Alt text of {title}",
                "photos-0-licence": str(self.licence_id),
                "photos-0-new_person_role": "0",
                "photos-0-new_person_department": "0",
                "photos-0-no_identifiable_people": "y",
            }
        )
        fields.add("photos-0-file", FileStorage(io.BytesIO(picture.read_bytes()), picture.name))
        body, _length, boundary = stream_encode_multipart(fields, use_tempfile=False)
        return self.send("/upload", body.getvalue(), f"multipart/form-data; boundary={boundary}")


def test_eight_people_at_once_under_two_workers(app, gunicorn, make_user, picture):
    licence_id = licence_by_code("INST-USE").id
    emails = [make_user("curator").email for _ in range(CLIENTS)]
    pictures = [[picture(seed=100 + c * ROUNDS + r) for r in range(ROUNDS)] for c in range(CLIENTS)]
    browsers = [Browser(gunicorn) for _ in range(CLIENTS)]
    failures = []

    def work(number: int) -> None:
        browser = browsers[number]
        browser.licence_id = licence_id
        try:
            browser.post("/login", {"email": emails[number], "password": PASSWORD})
            for round_ in range(ROUNDS):
                title = f"Client {number} photo {round_}"
                page = browser.upload(pictures[number][round_], title)
                photo_id = int(re.search(r'href="/photos/(\d+)"', page).group(1))
                browser.post(
                    f"/photos/{photo_id}/edit",
                    {
                        "title": f"{title} (edited)",
                        "alt_text": f"Alt text of {title}",
                        "caption": "Edited while others worked",
                        "photographer": "Jo",
                    },
                )
                browser.post(f"/review/{photo_id}", {"licence": licence_id, "approve": "Approve"})
        except Exception as error:  # noqa: BLE001 - reported below with the client number
            failures.append((number, repr(error)))

    threads = [threading.Thread(target=work, args=(number,)) for number in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    statuses = [status for browser in browsers for status in browser.statuses]
    assert not [status for status in statuses if status >= 500], statuses
    db.session.rollback()
    photos = Photo.query.all()
    assert len(photos) == CLIENTS * ROUNDS
    unfinished = [
        (p.id, p.title, p.status.value)
        for p in photos
        if not p.title.endswith("(edited)") or p.status.value != "approved"
    ]
    assert unfinished == [], (unfinished, [b.statuses for b in browsers])
    indexable = {str(i) for i in db.session.execute(select(Photo.id).where(INDEXED)).scalars()}
    with open_dir(app.config["INDEX_PATH"]).searcher() as reader:
        assert reader.doc_count() == len(indexable)
        assert {fields["id"] for fields in reader.all_stored_fields()} == indexable
        edited = [fields["title"] for fields in reader.all_stored_fields()]
        assert all(title.endswith("(edited)") for title in edited)
    assert photos_changed_after(searched_through()) == set()
