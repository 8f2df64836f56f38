"""Group consent sheets: one signed sheet for a class or a team, and one person's line withdrawn."""

import io
from datetime import date
from types import SimpleNamespace

import pytest

from archive.consent.models import ConsentForm, ConsentScope, ConsentSheet
from archive.consent.rules import allowed
from archive.core.audit import AuditEvent
from archive.extensions import db
from archive.people.models import Person
from archive.photos.events import Event
from tests.consent.test_audit import pdf
from tests.consent.test_withdrawal import photo_urls, shows, view_as
from tests.fixtures.photos import stored_files

EVERY_USE = [scope.value for scope in ConsentScope]
KNOWN = ["Ada Mensah", "Bilal Qureshi", "Chen Wei"]
NEW = ["Dana Kowalski", "Eoin Byrne"]


def sheet_data(people_ids, new_people="", *, file=None, **fields) -> dict:
    """Return the sheet form's fields: a signed PDF for everyone, every use."""
    return {
        "file": (io.BytesIO(pdf() if file is None else file), "year-10-sheet.pdf"),
        "title": "Open lab, year 10",
        "people": [str(person_id) for person_id in people_ids],
        "new_people": new_people,
        "scopes": EVERY_USE,
        "signed_on": "2026-06-01",
        **fields,
    }


@pytest.fixture
def group(client, login, make_user, make_person, make_photo, make_exhibition):
    """Five people on one sheet, each in their own approved photo, two of them in one more."""
    curator = login(make_user("curator"))
    event = Event(title="Open lab day", held_on=date(2026, 6, 1), notice="Signs at the door.")
    db.session.add(event)
    db.session.commit()
    known = [make_person(name) for name in KNOWN]
    response = client.post(
        "/consent/sheets/new",
        data=sheet_data([person.id for person in known], "\n".join(NEW), event=str(event.id)),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    people = [db.session.execute(db.select(Person).filter_by(name=n)).scalar_one()
              for n in KNOWN + NEW]  # fmt: skip
    photos = {
        person.name: make_photo(
            people=[person],
            status="approved",
            title=f"At the bench with {person.name}",
            alt_text=f"{person.name} at a bench",  # each photo's own words, for shows()
        )
        for person in people
    }
    photos["pair"] = make_photo(
        people=people[:2],
        status="approved",
        title="Two at the fume cupboard",
        alt_text="Two people at a fume cupboard",
    )
    for photo in photos.values():
        photo.event = event
    db.session.commit()
    exhibition = make_exhibition(list(photos.values()))
    return SimpleNamespace(
        curator=curator, event=event, people=people, photos=photos, exhibition=exhibition
    )


def test_a_sheet_is_recorded_once_and_a_line_of_it_given_to_each_person(app, client, group):
    people = group.people
    [sheet] = ConsentSheet.query.all()
    lines = ConsentForm.query.order_by(ConsentForm.id).all()
    assert [line.person.name for line in lines] == KNOWN + NEW
    assert {line.sheet_id for line in lines} == {sheet.id}
    assert len({line.storage_key for line in lines}) == 1  # one file, named by every line
    assert [key for key in stored_files(app) if key.startswith("consent/")] == [
        lines[0].storage_key
    ]
    assert AuditEvent.query.filter_by(action="consent.sheet_recorded").count() == 1
    person_page = client.get(f"/people/{people[3].id}").get_data(as_text=True)
    assert "Signed on the group sheet for" in person_page
    assert "Open lab day" in person_page and "(5 people)" in person_page


def test_withdrawing_one_person_on_a_group_sheet_hides_only_the_photos_of_them(
    app, client, login, group
):
    curator, people, photos, exhibition = (
        group.curator,
        group.people,
        group.photos,
        group.exhibition,
    )
    ada = people[0]
    gone = [photos[ada.name], photos["pair"]]
    staying = [photos[person.name] for person in people[1:]]
    urls = {photo.id: photo_urls(app, photo, [exhibition]) for photo in photos.values()}
    searches = [f"/search?q={word}" for word in ("bench", "cupboard")]
    view_as(client, login, None)
    for photo in photos.values():
        assert f"/photos/{photo.id}" in [u for u in urls[photo.id] if shows(client, u, photo)]
        assert any(shows(client, url, photo) for url in searches), photo.title

    [line] = [line for line in ada.consent_forms if line.sheet_id]
    login(curator)
    response = client.post(
        f"/consent/{line.id}/withdraw", data={"reason": "Asked in person.", "confirm": "yes"}
    )
    assert response.status_code == 302

    view_as(client, login, None)
    for photo in gone:
        leaked = [url for url in urls[photo.id] + searches if shows(client, url, photo)]
        assert leaked == [], f"{photo.title} still shown at {leaked}"
    gallery = client.get(f"/exhibitions/{exhibition.slug}").get_data(as_text=True)
    for photo in staying:
        assert f"/photos/{photo.id}" in [u for u in urls[photo.id] if shows(client, u, photo)]
        assert any(shows(client, url, photo) for url in searches), photo.title
        assert photo.title in gallery
    # Only Ada's line is withdrawn; the others still grant every use, the file stays.
    withdrawn = {form.person.name: form.withdrawn_on for form in ConsentForm.query.all()}
    assert withdrawn == {ada.name: date.today(), **{p.name: None for p in people[1:]}}
    assert any(key.startswith("consent/") for key in stored_files(app))


def test_the_event_page_lists_its_photos_and_who_in_them_has_consented(client, group):
    event, people, photos = group.event, group.people, group.photos
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Signs at the door." in page
    for photo in photos.values():
        assert photo.title in page
    assert page.count("consented") == 7  # five people, two of them twice
    [line] = [line for line in people[1].consent_forms if line.sheet_id]
    client.post(f"/consent/{line.id}/withdraw", data={"confirm": "yes"})
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert page.count("consented") == 5 and page.count(">withdrawn<") == 2
    assert "Bilal Qureshi withdrew consent for public web galleries" in page


@pytest.mark.parametrize(
    ("data", "sentence"),
    [
        ({"people": [], "new_people": ""}, "Choose or name the people the sheet was signed for."),
        (
            {"file": b"Names:\nAda Mensah\n"},
            "must be a PDF, JPEG or PNG file; this is a text file.",
        ),
        (
            {"new_people": "Dana Kowalski; Ruth Kowalski"},
            "Line 1 (“Dana Kowalski; Ruth Kowalski”): write a name alone",
        ),
        ({"title": ""}, "Give the sheet a title (e.g. the class or team), or choose its event."),
    ],
)
def test_a_sheet_with_no_people_or_a_bad_file_is_refused_with_nothing_stored(
    app, client, login, make_user, make_person, data, sentence
):
    login(make_user("curator"))
    ada = make_person("Ada Mensah")
    fields = sheet_data([ada.id], "Eoin Byrne")
    data = dict(data)  # the table is shared by every run of the test: pop from a copy
    if "file" in data:
        fields["file"] = (io.BytesIO(data.pop("file")), "sheet.pdf")
    fields.update(data)
    response = client.post("/consent/sheets/new", data=fields)
    assert response.status_code == 422
    assert sentence in response.get_data(as_text=True)
    assert ConsentSheet.query.count() == ConsentForm.query.count() == 0
    assert [person.name for person in Person.query.all()] == ["Ada Mensah"]
    assert not any(key.startswith("consent/") for key in stored_files(app))


def test_a_childs_line_counts_only_with_their_guardian_named_on_it(
    client, login, make_user, make_person, make_photo
):
    login(make_user("curator"))
    sam = make_person("Sam Reid")
    sam.under_18 = True
    db.session.commit()
    children = (
        "Dana Kowalski; Ruth Kowalski; Mother; ruth@example.org; web\n"
        "Eoin Byrne; Liam Byrne; Father; 01632 960123"
    )
    response = client.post("/consent/sheets/new", data=sheet_data([sam.id], children))
    assert response.status_code == 302
    dana, eoin = (db.session.execute(db.select(Person).filter_by(name=n)).scalar_one()
                  for n in ("Dana Kowalski", "Eoin Byrne"))  # fmt: skip
    assert dana.under_18 and eoin.under_18
    shown = {p.name: make_photo(people=[p], status="approved") for p in (sam, dana, eoin)}
    on_web = {name: allowed(photo, ConsentScope.WEB).allowed for name, photo in shown.items()}
    assert on_web == {"Sam Reid": False, "Dana Kowalski": True, "Eoin Byrne": False}
    assert allowed(shown["Eoin Byrne"], ConsentScope.INTERNAL).allowed
    assert not allowed(shown["Sam Reid"], ConsentScope.INTERNAL).allowed
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sam Reid is under 18: the consent needs a parent or guardian&#39;s signature" in page


def test_erasing_one_person_on_a_sheet_keeps_the_file_for_the_others(app, make_user, group):
    from archive.consent.erasure import erase_person

    people = group.people
    key = people[0].consent_forms[0].storage_key
    erase_person(people[0], by=make_user("admin"), delete_originals=True)
    assert key in stored_files(app)
    assert all(form.storage_key == key for p in people[1:] for form in p.consent_forms)


def test_a_curator_puts_a_photo_in_an_event_on_its_edit_page(client, login, make_user, make_photo):
    contributor = make_user("contributor")
    photo = make_photo(uploaded_by=contributor, title="Soldering a sensor board")
    login(contributor)
    assert "Taken at the event" not in client.get(f"/photos/{photo.id}/edit").get_data(as_text=True)
    login(make_user("curator"))
    response = client.post(
        "/events/new",
        data={"title": "Outreach day", "held_on": "2026-03-12", "notice": "Lanyards to opt out."},
    )
    event = Event.query.one()
    assert response.headers["Location"] == f"/events/{event.id}"
    fields = {"title": photo.title, "alt_text": photo.alt_text, "event_id": str(event.id)}
    assert client.post(f"/photos/{photo.id}/edit", data=fields).status_code == 302
    assert photo.event_id == event.id
    assert "Soldering a sensor board" in client.get(f"/events/{event.id}").get_data(as_text=True)
