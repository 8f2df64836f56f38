"""Script in any text field is shown as text on every page, for every role."""

import pytest

from archive.auth.models import Role
from archive.consent.models import ConsentScope
from archive.extensions import db
from archive.licences.models import Licence
from archive.people.edi import edi_attributes, set_answers
from tests.fixtures.routes import get_urls, route_values

SCRIPT = '<script>alert("xss")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
HOSTILE = f"Hello {SCRIPT} {ATTRIBUTE}"


@pytest.fixture
def hostile_world(make_user, make_person, make_photo, make_exhibition):
    admin = make_user(Role.ADMIN, name=HOSTILE)
    person = make_person(HOSTILE, scopes=[s.value for s in ConsentScope])
    gender = next(a for a in edi_attributes() if a.key == "gender")
    with db.session.begin_nested():
        set_answers(person, {gender.id: (None, HOSTILE)}, admin)
    licence = Licence(
        code="HOSTILE", name=HOSTILE, terms=HOSTILE, credit_template=HOSTILE + " {photographer}"
    )
    db.session.add(licence)
    db.session.commit()
    photo = make_photo(
        people=[person],
        status="approved",
        title=HOSTILE,
        caption=HOSTILE,
        alt_text=HOSTILE,
        photographer=HOSTILE,
    )
    photo.licence = licence
    photo.original_filename = HOSTILE
    rejected = make_photo(status="rejected", title="Rejected")
    rejected.review_note = HOSTILE
    person.consent_forms[0].original_filename = HOSTILE
    db.session.commit()
    exhibition = make_exhibition([photo], title=HOSTILE)
    exhibition.summary = exhibition.body = HOSTILE
    item = exhibition.items[0]
    item.caption = item.alt_text = item.section = HOSTILE
    db.session.commit()
    return admin, person, photo, exhibition


@pytest.mark.parametrize("role", [None, "admin"])
def test_every_page_shows_hostile_text_as_text(app, client, login, hostile_world, role):
    admin, person, photo, exhibition = hostile_world
    if role:
        login(admin)
    urls = get_urls(
        app, **route_values(photo=photo, person=person, user=admin, exhibition=exhibition)
    )
    pages = escaped = 0
    for url in [*urls, "/search?q=hello"]:
        with client.get(url) as response:
            assert response.status_code < 500, url
            if response.mimetype != "text/html":
                continue
            pages += 1
            html = response.get_data(as_text=True)
            assert SCRIPT not in html, url
            assert "<img src=x onerror" not in html, url
            escaped += "&lt;script&gt;" in html
    assert pages > 10
    assert escaped > 5  # the hostile text really is on those pages, as text
