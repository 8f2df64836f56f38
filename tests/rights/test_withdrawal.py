"""Withdrawal is immediate: the photo is gone from every route that could show or hand it out."""

from datetime import date

from archive.auth.models import Role, User
from archive.exhibitions.models import ExhibitionUse
from archive.photos.models import PhotoStatus
from archive.rights.models import AuditEvent, ConsentForm
from tests.conftest import get_urls


def photo_urls(app, photo, exhibitions) -> list[str]:
    """Every GET route that takes a photo, a derivative or an exhibition, for this photo."""
    return get_urls(
        app,
        photo_id=photo.id,
        sha256=[d.sha256 for d in photo.derivatives],
        slug=[exhibition.slug for exhibition in exhibitions],
        exhibition_id=[exhibition.id for exhibition in exhibitions],
        person_id=[],
        form_id=[],
        user_id=[],
        licence_id=[],
        token=[],
    )


def shows(client, url, photo) -> bool:
    """Return whether the response to url shows or hands out the photo."""
    with client.get(url) as response:
        if response.status_code != 200:
            return False
        if response.mimetype == "image/jpeg":
            return True
        # A kiosk export is a zip: its index.html is stored uncompressed, with the alt text.
        text = response.get_data().decode("utf-8", errors="replace")
        return (
            photo.title in text
            or photo.alt_text in text
            or any(d.sha256 in text for d in photo.derivatives)
        )


def view_as(client, login, user):
    with client.session_transaction() as session:
        session.clear()
    if user is not None:
        login(user)


def test_withdrawn_consent_removes_the_photo_from_every_route(
    app, client, login, make_user, consented_photo, make_exhibition
):
    viewers = {
        "anonymous": None,
        "contributor": make_user("contributor"),
        "comms": make_user("comms"),
    }
    exhibition = make_exhibition([consented_photo])
    # Every use an exhibition may need: a physical one about identity, published online too.
    identity = make_exhibition(
        [consented_photo], title="Women in technical roles", use=ExhibitionUse.PHYSICAL
    )
    exhibitions = [exhibition, identity]
    urls = photo_urls(app, consented_photo, exhibitions)
    exports = [
        f"/curate/{each.id}/export.{kind}" for each in exhibitions for kind in ("zip", "csv")
    ]
    assert (
        f"/photos/{consented_photo.id}" in urls and f"/photos/{consented_photo.id}/download" in urls
    )
    view_as(client, login, viewers["comms"])
    before = [url for url in urls if shows(client, url, consented_photo)]
    assert f"/photos/{consented_photo.id}/download" in before  # the sweep can see the photo
    assert f"/exhibitions/{exhibition.slug}" in before
    assert f"/exhibitions/{exhibition.slug}/manifest.json" in before
    assert f"/exhibitions/{identity.slug}" in before
    assert len(before) >= 5
    view_as(client, login, None)
    # Visitors see it too, and their gallery and images are now kept between requests.
    kept = [url for url in urls if shows(client, url, consented_photo)]
    assert f"/exhibitions/{exhibition.slug}" in kept

    [form] = ConsentForm.query.all()
    curator = User.query.filter_by(role=Role.CURATOR).first()
    view_as(client, login, curator)
    assert [url for url in exports if shows(client, url, consented_photo)] == exports
    response = client.post(f"/consent/{form.id}/withdraw", data={"reason": "Left the university"})
    assert response.status_code == 302
    assert "Approved photos affected (1): Inside the cleanroom" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    assert AuditEvent.query.filter_by(action="consent.withdrawn", target_id=form.id).count() == 1

    for role, user in viewers.items():
        view_as(client, login, user)
        leaked = [url for url in urls if shows(client, url, consented_photo)]
        assert leaked == [], f"{role} still sees the photo at {leaked}"
    view_as(client, login, curator)
    exported = [url for url in exports if shows(client, url, consented_photo)]
    assert exported == [], f"the photo is still exported at {exported}"
    # Nothing was deleted: the photo, its files and the form stay for the record.
    assert consented_photo.status == PhotoStatus.APPROVED
    assert ConsentForm.query.one().withdrawn_on == date.today()
    assert ConsentForm.query.one().withdrawal_reason == "Left the university"
