"""Who sees which photo and its files: the page and derivative URLs depend on the viewer."""

import io
from datetime import date

import pytest
from PIL import Image

from archive.consent.intake import withdraw_consent
from archive.consent.models import ConsentScope
from archive.downloads.models import DownloadEvent
from archive.photos.models import PhotoStatus
from archive.search.index import apply_pending_changes
from tests.fixtures.photos import derivative_urls, fetch_image


def urls_of(photo) -> list[str]:
    return sorted(f"/media/{d.sha256}.jpg" for d in photo.derivatives)


def url_of(photo, kind: str = "thumb") -> str:
    return f"/media/{photo.derivative(kind).sha256}.jpg"


def status_of(client, url: str) -> int:
    """GET the URL and close the response (file responses hold the file open until then)."""
    with client.get(url) as response:
        return response.status_code


@pytest.fixture
def pending(make_user, make_photo):
    """A pending photo uploaded by one contributor."""
    owner = make_user("contributor")
    return make_photo(uploaded_by=owner)


def test_the_uploader_sees_their_pending_photo_and_its_files(client, login, pending):
    login(pending.uploaded_by)
    page = client.get(f"/photos/{pending.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "status-pending" in html
    assert set(derivative_urls(html)) == set(urls_of(pending))
    for url in urls_of(pending):
        with client.get(url) as response:
            assert response.status_code == 200
            assert response.mimetype == "image/jpeg"
            assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
            assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_another_contributor_gets_nothing_of_a_pending_photo(client, login_as, pending):
    login_as("contributor")
    assert client.get(f"/photos/{pending.id}").status_code == 404
    for url in urls_of(pending):
        assert status_of(client, url) == 404
    assert pending.title not in client.get("/my-uploads").get_data(as_text=True)


def test_an_anonymous_visitor_gets_no_photo_not_cleared_for_the_web(
    client, make_user, make_photo, make_person
):
    curator = make_user("curator")
    hidden = [
        make_photo(uploaded_by=curator, status=status)
        for status in PhotoStatus
        if status != PhotoStatus.APPROVED
    ]
    hidden.append(
        make_photo(
            uploaded_by=curator,
            status=PhotoStatus.APPROVED,
            people=[make_person("Ben Carter", scopes=["internal", "press"])],
        )
    )
    public = make_photo(uploaded_by=curator, status=PhotoStatus.APPROVED)  # nobody shown
    assert client.get(f"/photos/{public.id}").status_code == 200
    assert status_of(client, url_of(public)) == 200
    for photo in hidden:
        response = client.get(f"/photos/{photo.id}")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        for url in urls_of(photo):
            assert status_of(client, url) == 404


@pytest.mark.parametrize("role", ["contributor", "comms"])
def test_others_see_approved_photos_only_when_consent_allows(
    client, login_as, make_user, make_photo, make_person, role
):
    curator = make_user("curator")
    nobody_shown = make_photo(uploaded_by=curator, status=PhotoStatus.APPROVED)
    unconsented = make_photo(
        uploaded_by=curator, status=PhotoStatus.APPROVED, people=[make_person("Ben Carter")]
    )
    rejected = make_photo(uploaded_by=curator, status=PhotoStatus.REJECTED)
    login_as(role)
    assert client.get(f"/photos/{nobody_shown.id}").status_code == 200
    assert status_of(client, url_of(nobody_shown)) == 200
    for hidden in (unconsented, rejected):
        assert client.get(f"/photos/{hidden.id}").status_code == 404
        assert all(status_of(client, url) == 404 for url in urls_of(hidden))


def test_derivatives_answer_conditional_requests(client, login, pending):
    login(pending.uploaded_by)
    url = urls_of(pending)[0]
    with client.get(url) as first:
        etag = first.headers["ETag"]
    with client.get(url, headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304
        assert again.get_data() == b""


def test_what_the_photo_page_shows_depends_on_the_role(
    client, login_as, make_user, make_photo, picture, make_person
):
    from archive.licences.services import licence_by_code
    from archive.photos.ingest import PhotoDetails, ingest_file

    owner = make_user("contributor")
    photo = ingest_file(
        picture(gps=(52.93871, -1.19552)),
        PhotoDetails(
            title="Cryostat fill",
            alt_text="Vapour from a flask",
            licence_id=licence_by_code("INST-USE").id,
            people=[make_person("Grace Adeyemi")],
        ),
        original_filename="IMG_7.JPG",
        uploaded_by=owner,
    ).photo
    login_as("curator")
    curator_page = client.get(f"/photos/{photo.id}").get_data(as_text=True)
    assert "Grace Adeyemi" in curator_page and "Where this photo may be used today" in curator_page
    assert "52.93871" not in curator_page  # GPS is for admins only
    login_as("admin")
    admin_page = client.get(f"/photos/{photo.id}").get_data(as_text=True)
    assert "52.93871, -1.19552" in admin_page


def test_unknown_photos_and_files_are_404(client, login_as):
    login_as("admin")
    assert client.get("/photos/999").status_code == 404
    assert client.get(f"/media/{'0' * 64}.jpg").status_code == 404
    assert client.get("/media/not-a-hash.jpg").status_code == 404


def test_another_contributor_cannot_change_someone_elses_pending_photo(client, login_as, pending):
    login_as("contributor")
    assert client.get(f"/photos/{pending.id}/edit").status_code == 404
    response = client.post(
        f"/photos/{pending.id}/edit", data={"title": "Mine now", "alt_text": "taken"}
    )
    assert response.status_code == 404
    assert pending.title != "Mine now"


@pytest.fixture
def big_photo(make_user, make_person, make_photo):
    """An approved 3000 px photo, uploaded by a contributor, of a person who agreed to every use."""
    make_user("curator")
    person = make_person("Mei Lin", scopes=[scope.value for scope in ConsentScope])
    return make_photo(
        uploaded_by=make_user("contributor"),
        people=[person],
        status=PhotoStatus.APPROVED,
        size=(3000, 2000),
    )


def test_comms_get_the_large_file_only_through_the_download_step(client, login_as, big_photo):
    login_as("comms")
    assert fetch_image(client, url_of(big_photo, "thumb")) == (200, 400)
    assert fetch_image(client, url_of(big_photo, "display")) == (200, 1600)
    assert fetch_image(client, url_of(big_photo, "large")) == (404, None)
    page = client.get(f"/photos/{big_photo.id}").get_data(as_text=True)
    assert url_of(big_photo, "large") not in derivative_urls(page)  # no srcset entry to miss
    assert DownloadEvent.query.count() == 0
    response = client.post(
        f"/photos/{big_photo.id}/download",
        data={"size": "large", "purpose": "Open day poster", "accept": "y"},
    )
    with Image.open(io.BytesIO(response.get_data())) as image:
        assert (response.status_code, max(image.size)) == (200, 2560)
    assert [(event.photo_id, event.size) for event in DownloadEvent.query] == [
        (big_photo.id, "large")
    ]


def test_uploader_cannot_open_large_file_after_withdrawal(client, login, big_photo):
    login(big_photo.uploaded_by)
    assert fetch_image(client, url_of(big_photo, "large")) == (200, 2560)  # their own work
    withdraw_consent(big_photo.people[0].consent_forms[0], by=None, on=date.today())
    for kind in ("thumb", "display", "large"):
        assert fetch_image(client, url_of(big_photo, kind)) == (404, None)
    assert client.get(f"/photos/{big_photo.id}").status_code == 404
    uploads = client.get("/my-uploads").get_data(as_text=True)
    assert "No longer shown: someone in it has withdrawn their consent." in uploads
    assert derivative_urls(uploads) == []


@pytest.mark.parametrize("role", ["curator", "admin"])
def test_reviewers_still_open_every_size_of_a_withdrawn_photo(client, login_as, big_photo, role):
    withdraw_consent(big_photo.people[0].consent_forms[0], by=None, on=date.today())
    login_as(role)
    assert fetch_image(client, url_of(big_photo, "large")) == (200, 2560)
    page = client.get(f"/photos/{big_photo.id}").get_data(as_text=True)
    assert url_of(big_photo, "large") in derivative_urls(page)


@pytest.mark.parametrize("role", [None, "contributor"])
def test_other_viewers_get_page_sizes_never_the_large_file(client, login_as, big_photo, role):
    if role:
        login_as(role)
    assert fetch_image(client, url_of(big_photo, "display")) == (200, 1600)
    assert fetch_image(client, url_of(big_photo, "large")) == (404, None)


@pytest.mark.parametrize("role", ["contributor", "comms", "curator", "admin"])
def test_signing_in_never_shows_less_than_a_visitor_sees(
    client, login_as, make_user, make_photo, make_person, role
):
    make_user("curator")
    # Cleared for the public web only: no internal or press consent.
    photo = make_photo(
        status=PhotoStatus.APPROVED,
        people=[make_person("Mei Lin", scopes=["web"])],
        title="Glassblowing at the lathe",
    )
    apply_pending_changes()

    def what_is_shown() -> tuple[int, int, list[int]]:
        found = client.get("/api/search", query_string={"q": "glassblowing"}).json["results"]
        page = client.get(f"/photos/{photo.id}").status_code
        return page, status_of(client, url_of(photo)), [result["id"] for result in found]

    assert what_is_shown() == (200, 200, [photo.id])
    login_as(role)
    assert what_is_shown() == (200, 200, [photo.id])
