"""Erasing a person leaves their name nowhere, and their erased photos are simply not there.

Not in the archive's own words (titles, captions, alt text, exhibitions), not in stored
file names, not in the search index's files or its spelling suggestions; and every route
that takes an erased photo's id or file answers 404, never 500.
"""

import io
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from archive.auth.models import Role, User
from archive.consent.erasure import erase_person
from archive.consent.intake import check_consent_file, record_consent, store_consent_forms
from archive.consent.models import ConsentForm, ConsentScope
from archive.core.audit import AuditEvent
from archive.exhibitions.models import Exhibition, ExhibitionItem
from archive.extensions import db
from archive.photos.models import Photo
from archive.search.index import index_path, open_index
from tests.fixtures.app import PASSWORD, FreshGlobalsClient
from tests.fixtures.routes import route_values
from tests.test_access_matrix import requests

NAME = "Rhys Morgan"


def erase(person, *, delete_originals: bool = False):
    """Erase the person as an admin would, through the service."""
    admin = User.query.filter_by(role=Role.ADMIN).first()
    return erase_person(person, by=admin, delete_originals=delete_originals)


def named_form(person, path: Path) -> ConsentForm:
    """Store a small PDF under path's file name as the person's form granting every use."""
    buffer = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(buffer, "PDF")
    path.write_bytes(buffer.getvalue())
    [form] = store_consent_forms(
        [check_consent_file(path, path.name)], uploaded_by=None, batch_id=None
    )
    return record_consent(
        form,
        person=person,
        scopes=set(ConsentScope),
        signed_on=date(2025, 1, 1),
        expires_on=None,
        recorded_by=None,
    )


@pytest.fixture
def rhys(make_user, make_person, make_photo, make_exhibition):
    """Rhys Morgan, shown in a photo whose words name him, in an exhibition that does too."""
    make_user("admin")
    make_user("curator")
    person = make_person(NAME, scopes=[s.value for s in ConsentScope])
    photo = make_photo(
        people=[person],
        status="approved",
        title="Rhys Morgan at the lathe",
        caption="RHYS MORGAN turns a brass rod; Rhys keeps Morgan's tools sharp.",
        alt_text="Rhys Morgan at a lathe",
        photographer="Rhys Morgan",
    )
    other = make_photo(status="approved", title="The lathe room", caption="Rhys Morgan's lathe")
    exhibition = make_exhibition([photo, other], title="Rhys Morgan and the workshop")
    exhibition.summary = "A year with rhys morgan."
    exhibition.body = "Rhys Morgan started in *1998*; Rhys still runs the workshop."
    exhibition.items[0].caption = "Rhys Morgan at work"
    exhibition.items[1].alt_text = "Morgan's lathe, empty"
    db.session.commit()
    return person, photo, other, exhibition


def test_erasure_redacts_the_name_from_captions(client, rhys):
    person, photo, other, exhibition = rhys
    erase(person)
    photo, other = db.session.get(Photo, photo.id), db.session.get(Photo, other.id)
    assert photo.title == "[name removed] at the lathe"
    assert photo.caption == (
        "[name removed] turns a brass rod; [name removed] keeps [name removed]'s tools sharp."
    )
    assert photo.alt_text == "[name removed] at a lathe"
    assert photo.photographer == "[name removed]"
    # A photo that does not show him loses his name too.
    assert other.caption == "[name removed]'s lathe" and other.title == "The lathe room"
    exhibition = db.session.get(Exhibition, exhibition.id)
    assert exhibition.title == "[name removed] and the workshop"
    assert exhibition.summary == "A year with [name removed]."
    assert exhibition.body == (
        "[name removed] started in *1998*; [name removed] still runs the workshop."
    )
    items = {item.photo_id: item for item in ExhibitionItem.query.all()}
    assert items[photo.id].caption == "[name removed] at work"
    assert items[other.id].alt_text == "[name removed]'s lathe, empty"
    gallery = client.get(f"/exhibitions/{exhibition.slug}").get_data(as_text=True)
    assert "Rhys" not in gallery and "Morgan" not in gallery


def test_a_name_part_someone_else_has_is_left_alone(make_user, make_person, make_photo):
    make_user("admin")
    make_user("curator")
    person = make_person("Grace Mason")
    make_person("Grace Adeyemi")
    photo = make_photo(
        people=[person],
        title="grace mason's chisel",
        caption="Grace Mason and Grace Adeyemi; Mason cuts stone like a mason. Grace smiles.",
    )
    result = erase(person)
    photo = db.session.get(Photo, photo.id)
    assert photo.title == "[name removed]'s chisel"
    # "Grace" alone could be either of them; "mason" in lower case is the trade.
    assert photo.caption == (
        "[name removed] and Grace Adeyemi; [name removed] cuts stone like a mason. Grace smiles."
    )
    assert result.shared_name_parts == ["Grace"]


def test_the_erasure_page_lists_what_was_redacted_and_the_log_keeps_no_name(client, login, rhys):
    person, photo, other, exhibition = rhys
    admin = User.query.filter_by(role=Role.ADMIN).first()
    login(admin)
    response = client.post(f"/people/{person.id}/erase", data={"confirm_name": NAME})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rhys" not in page and "Morgan" not in page
    assert f"Photo {photo.id}" in page and f"Photo {other.id}" in page
    assert "title, caption, alt text, photographer" in page
    assert f"Exhibition {exhibition.id}" in page and "title, summary, body" in page
    events = AuditEvent.query.filter(AuditEvent.action.like("%.redacted")).all()
    redacted = {(event.target_type, event.target_id): event.detail for event in events}
    assert redacted[("photo", photo.id)] == "title, caption, alt text, photographer"
    assert redacted[("exhibition", exhibition.id)] == "title, summary, body"
    assert not any("Rhys" in event.detail or "Morgan" in event.detail for event in events)


def test_curators_no_longer_find_the_erased_person_by_name(client, login_as, rhys):
    person = rhys[0]
    login_as("curator")
    assert client.get("/api/search?q=Morgan").get_json()["total"] == 2
    erase(person)
    for query in ("Morgan", "Rhys", '"Rhys Morgan"', "person:Morgan", "morg*"):
        assert client.get("/api/search", query_string={"q": query}).get_json()["total"] == 0


def index_bytes() -> bytes:
    """Return every file of the search index on disk, concatenated, in lower case."""
    return b"".join(path.read_bytes() for path in index_path().rglob("*") if path.is_file()).lower()


@pytest.mark.parametrize("delete_originals", [False, True], ids=["kept", "with originals"])
def test_erased_name_is_not_in_the_index_files_or_suggestions(
    client, login_as, rhys, delete_originals
):
    person = rhys[0]
    login_as("curator")
    assert b"morgan" in index_bytes()
    assert client.get("/api/search?q=Morgam").get_json()["suggestion"] == "morgan"
    erase(person, delete_originals=delete_originals)
    assert b"morgan" not in index_bytes() and b"rhys" not in index_bytes()
    with open_index().reader() as reader:
        words = {
            word
            for field in reader.indexed_field_names()
            for word in reader.lexicon(field)
            if isinstance(word, bytes)
        }
    assert not {word for word in words if b"morgan" in word or b"rhys" in word}
    assert client.get("/api/search?q=Morgam").get_json()["suggestion"] is None
    assert client.get("/api/search?q=lathe").get_json()["total"] == (1 if delete_originals else 2)


def test_the_consent_form_download_no_longer_carries_the_name(
    client, login_as, make_user, make_person, make_photo, tmp_path
):
    make_user("admin")
    person = make_person(NAME)
    form = named_form(person, tmp_path / "Rhys_Morgan-consent-2025.pdf")
    photo = make_photo(people=[person], title="At the lathe")
    photo.original_filename = "rhys.morgan lathe.JPG"
    db.session.commit()
    erase(person)
    login_as("curator")
    response = client.get(f"/consent/{form.id}/file")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=name-removed-consent-2025.pdf"
    )
    response.close()
    assert db.session.get(Photo, photo.id).original_filename == "name-removed lathe.JPG"


def test_erased_photos_pages_are_404(app, make_user, make_person, make_photo, make_exhibition):
    users = {role.value: make_user(role) for role in Role}
    person = make_person(NAME, scopes=[s.value for s in ConsentScope])
    photo = make_photo(uploaded_by=users["contributor"], people=[person], status="approved")
    other = make_person("Grace Adeyemi", scopes=[s.value for s in ConsentScope])
    kept = make_photo(uploaded_by=users["contributor"], people=[other], status="approved")
    exhibition = make_exhibition([photo, kept])
    # Every route, with the erased photo's id and thumbnail wherever a route takes one.
    values = route_values(photo=photo, person=other, user=users["comms"], exhibition=exhibition)
    by_photo = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if {"photo_id", "sha256"} & rule.arguments
    }
    erase(person, delete_originals=True)
    wrong = []
    for method, endpoint, url in requests(app, values):
        for role in ("contributor", "curator", "comms", "admin"):
            client = FreshGlobalsClient(app, app.response_class, use_cookies=True)
            client.post("/login", data={"email": users[role].email, "password": PASSWORD})
            try:
                response = client.open(url, method=method)
            except Exception as error:  # noqa: BLE001 - the test client re-raises what a 500 hides
                wrong.append((method, url, role, type(error).__name__))
                continue
            response.close()
            if response.status_code >= 500 or (
                endpoint in by_photo and response.status_code not in (403, 404)
            ):
                wrong.append((method, url, role, response.status_code))
    assert wrong == []


def test_an_erased_persons_routes_are_404(app, make_user, make_person, make_photo, make_exhibition):
    """No page, no new consent form and no consent link for someone who was erased."""
    users = {role.value: make_user(role) for role in Role}
    person = make_person(NAME, scopes=[s.value for s in ConsentScope])
    photo = make_photo(uploaded_by=users["contributor"], people=[person], status="approved")
    exhibition = make_exhibition([photo])
    values = route_values(photo=photo, person=person, user=users["comms"], exhibition=exhibition)
    erase(person)
    client = FreshGlobalsClient(app, app.response_class, use_cookies=True)
    client.post("/login", data={"email": users["admin"].email, "password": PASSWORD})
    answers = {}
    for method, endpoint, url in requests(app, values):
        if f"/people/{person.id}" in url:
            with client.open(url, method=method) as response:
                answers[method, endpoint] = response.status_code
    assert answers  # the person's page, consent upload, link and erasure routes
    assert {route: status for route, status in answers.items() if status != 404} == {}
