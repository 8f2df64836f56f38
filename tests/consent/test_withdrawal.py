"""Withdrawal is immediate: the photo is gone from every route that could show or hand it out."""

import csv
import hashlib
import io
from datetime import date

from archive.auth.models import Role, User
from archive.consent.link import issue_link
from archive.consent.models import ConsentForm, ConsentScope
from archive.core.audit import AuditEvent
from archive.exhibitions.models import ExhibitionUse
from archive.extensions import db
from archive.people.edi import edi_attributes, set_answers
from archive.photos.models import PhotoStatus
from archive.profiles.services import profile_of, save_profile
from tests.fixtures.routes import exported_files, get_urls

EVERY_USE = [scope.value for scope in ConsentScope]


def photo_urls(app, photo, exhibitions, tokens=()) -> list[str]:
    """Every GET route that takes a photo, a derivative, an exhibition or the consent links."""
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
        token=list(tokens),
        address_token=[],  # an address's mail choices show no photo and no EDI
        reset_token=[],
        event_id=[],  # staff pages: curators see every photo there, whatever its consent
        sheet_id=[],
        profile_slug=[p.slug for person in photo.people if (p := profile_of(person))],
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


def hands_out(client, url, photo) -> bool:
    """Return whether the export at url holds the photo: one of its files, hashes or title."""
    hashes = {photo.sha256} | {d.sha256 for d in photo.derivatives}
    with client.get(url) as response:
        files = exported_files(response) or []
    return any(
        hashlib.sha256(data).hexdigest() in hashes
        or photo.title.encode() in data
        or any(sha.encode() in data for sha in hashes)
        for data in files
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
    [person] = consented_photo.people
    profile = save_profile(
        person,
        headline="",
        story="",
        photo_ids=[consented_photo.id],
        published=True,
        by=make_user("curator"),
    )
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
    assert {f"/profiles/{profile.slug}", "/profiles/"} <= set(before)  # her career profile
    assert len(before) >= 5
    view_as(client, login, None)
    # Visitors see it too, and their gallery and images are now kept between requests.
    kept = [url for url in urls if shows(client, url, consented_photo)]
    assert f"/exhibitions/{exhibition.slug}" in kept

    [form] = ConsentForm.query.all()
    curator = User.query.filter_by(role=Role.CURATOR).first()
    view_as(client, login, curator)
    assert [url for url in exports if shows(client, url, consented_photo)] == exports
    response = client.post(
        f"/consent/{form.id}/withdraw", data={"reason": "Left the university", "confirm": "yes"}
    )
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


def test_a_withdrawn_photo_is_absent_from_every_export_and_consent_link(
    app, client, login, make_user, make_person, make_photo, make_exhibition
):
    curator = make_user("curator")
    mei, tom = make_person("Mei Lin", scopes=EVERY_USE), make_person("Tom Reyes", scopes=EVERY_USE)
    photo = make_photo(people=[mei, tom], status="approved", title="Inside the cleanroom")
    other = make_photo(status="approved", title="Lathe work")  # keeps every export non-empty
    exhibition = make_exhibition([photo, other])
    tokens = [issue_link(mei, curator), issue_link(tom, curator)]
    urls = photo_urls(app, photo, [exhibition], tokens)
    links = [url for url in urls if url.startswith("/my-consent/")]
    view_as(client, login, curator)
    exports = [url for url in urls if hands_out(client, url, photo)]
    assert {f"/curate/{exhibition.id}/export.zip", f"/curate/{exhibition.id}/export.csv"} <= set(
        exports
    )
    view_as(client, login, None)
    assert {f"/my-consent/{token}" for token in tokens} <= {
        url for url in links if shows(client, url, photo)
    }

    view_as(client, login, curator)
    client.post(
        f"/consent/{mei.consent_forms[0].id}/withdraw",
        data={"reason": "Moved on", "confirm": "yes"},
    )
    # A link issued after the withdrawal (to give consent again) does not show it either.
    fresh = issue_link(mei, curator)
    urls = photo_urls(app, photo, [exhibition], [*tokens, fresh])
    leaked = [url for url in urls if hands_out(client, url, photo)]
    assert leaked == [], f"exports still hold the withdrawn photo: {leaked}"
    assert hands_out(client, f"/curate/{exhibition.id}/export.zip", other)
    view_as(client, login, None)
    links = [url for url in urls if url.startswith("/my-consent/")]
    leaked = [url for url in links if shows(client, url, photo)]
    assert leaked == [], f"consent links still show the withdrawn photo: {leaked}"


def test_no_report_counts_a_withdrawn_photo(
    client, login, make_user, make_person, make_photo, make_exhibition
):
    curator = make_user("curator")
    gender = next(a for a in edi_attributes() if a.key == "gender")
    woman = next(o.id for o in gender.options if o.label == "Woman")
    photos = []
    for index in range(5):
        person = make_person(f"Technician {index}", scopes=EVERY_USE)
        with db.session.begin_nested():
            set_answers(person, {gender.id: (woman, "")}, actor=None)
        db.session.commit()
        photos.append(make_photo(people=[person], status="approved"))
    exhibition = make_exhibition(photos)
    archive, exhibited = (
        "/reports/representation.csv",
        f"/reports/representation.csv?exhibition={exhibition.id}",
    )
    login(curator)

    def women(url: str) -> tuple[str, str]:
        rows = csv.DictReader(io.StringIO(client.get(url).get_data().decode("utf-8-sig")))
        row = next(r for r in rows if (r["characteristic"], r["category"]) == ("Gender", "Woman"))
        return row["people"], row["approved photos"]

    assert women(archive) == women(exhibited) == ("5", "5")
    client.post(
        f"/consent/{photos[0].people[0].consent_forms[0].id}/withdraw",
        data={"reason": "", "confirm": "yes"},
    )
    # The person stays on record and is counted as a person; their photo is counted nowhere.
    assert women(archive) == ("5", "fewer than 5")
    assert women(exhibited) == ("fewer than 5", "fewer than 5")
