"""EDI answers reach curators and admins only: no other page, file, log line or error has them."""

import logging
import re

import pytest

from archive.consent.link import issue_link
from archive.consent.models import ConsentForm, ConsentScope
from archive.extensions import db
from archive.people.edi import add_attribute, set_answers
from archive.profiles.services import save_profile
from tests.fixtures.routes import exported_files, get_urls

# Distinctive values: found anywhere, they can only have come from the EDI tables.
OPTION = "Quokka-Heritage"
SELF_DESCRIPTION = "Zebracorn-Self-Description"
QUESTION = "Caring-Responsibility-Question"


@pytest.fixture
def edi_person(app, make_user, make_person, make_photo):
    curator = make_user("curator")
    attribute = add_attribute("caring", QUESTION, [OPTION, "None"])
    # Every use, so that the photo is shown everywhere, exhibitions about identity included.
    person = make_person("Grace Adeyemi", scopes=[scope.value for scope in ConsentScope])
    gender = next(
        a for a in db.session.execute(db.select(type(attribute))).scalars() if a.key == "gender"
    )
    with db.session.begin_nested():
        set_answers(
            person,
            {
                attribute.id: (attribute.options[0].id, ""),
                gender.id: (None, SELF_DESCRIPTION),
            },
            actor=curator,
        )
    db.session.commit()
    photo = make_photo(uploaded_by=make_user("contributor"), people=[person], status="approved")
    # A public career profile of her (she agreed to every use), swept with every other page.
    save_profile(
        person,
        headline="",
        story="Apprentice, then lead.",
        photo_ids=[photo.id],
        published=True,
        by=curator,
    )
    return person, photo, curator


def exhibitions_of(make_exhibition, photo) -> list:
    """A plain exhibition of the photo, and one about identity whose smart rule names an answer."""
    return [
        make_exhibition([photo]),
        make_exhibition([photo], title="Women in technical roles", smart_rule=f"caring:{OPTION}"),
    ]


def every_url(app, person, photo, token, exhibitions):
    form = ConsentForm.query.first()
    return get_urls(
        app,
        photo_id=photo.id,
        sha256=[d.sha256 for d in photo.derivatives],
        slug=[exhibition.slug for exhibition in exhibitions],
        exhibition_id=[exhibition.id for exhibition in exhibitions],
        person_id=person.id,
        form_id=form.id,
        user_id=[],
        licence_id=1,
        token=token,
        address_token=[],  # an address's mail choices show no photo and no EDI
        reset_token=[],
        event_id=1,  # staff pages: the roles here are refused them
        sheet_id=1,
        profile_slug=person.name.lower().replace(" ", "-"),
    )


@pytest.mark.parametrize("role", [None, "contributor", "comms"])
def test_no_other_role_ever_sees_edi_answers(
    app, client, login_as, edi_person, caplog, role, make_exhibition
):
    person, photo, curator = edi_person
    token = issue_link(person, curator)
    exhibitions = exhibitions_of(make_exhibition, photo)
    if role:
        login_as(role)
    caplog.set_level(logging.DEBUG)
    urls = every_url(app, person, photo, token, exhibitions)
    assert len(urls) > 20
    identity_gallery = client.get(f"/exhibitions/{exhibitions[1].slug}").get_data(as_text=True)
    assert photo.derivative("display").sha256 in identity_gallery  # the sweep sees the photo
    assert "Apprentice, then lead." in client.get("/profiles/grace-adeyemi").get_data(as_text=True)
    answer = person.edi_answer(next(a.attribute for a in person.edi if a.option_id))
    for url in urls:
        with client.get(url) as response:
            body = response.get_data().decode("utf-8", errors="replace")
        assert SELF_DESCRIPTION not in body, f"leaked to {role or 'anonymous'} at {url}"
        if url.startswith("/my-consent/"):
            # The person's own page asks the questions, but never shows their earlier answers.
            assert f'<option selected value="{answer.option_id}"' not in body
        else:
            assert OPTION not in body and QUESTION not in body, f"leaked at {url}"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert OPTION not in logged and SELF_DESCRIPTION not in logged


def test_curators_see_the_answers_where_they_belong(client, login, edi_person):
    person, _photo, curator = edi_person
    login(curator)
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert QUESTION in page and OPTION in page and SELF_DESCRIPTION in page


def test_the_audit_log_says_edi_changed_but_not_to_what(client, login_as, edi_person):
    login_as("admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "person.edi_edited" in page
    assert OPTION not in page and SELF_DESCRIPTION not in page


@pytest.mark.parametrize("role", ["curator", "admin"])
def test_every_page_showing_edi_answers_is_never_stored(
    app, client, login, make_user, edi_person, make_exhibition, role
):
    person, photo, curator = edi_person
    exhibitions = exhibitions_of(make_exhibition, photo)
    login(curator if role == "curator" else make_user(role))
    urls = every_url(app, person, photo, issue_link(person, curator), exhibitions)
    edi_pages = [f"/people/{person.id}", "/reports/representation", "/reports/representation.csv"]
    for url in edi_pages:
        assert url in urls
    for url in urls:
        with client.get(url) as response:
            body = response.get_data().decode("utf-8", errors="replace")
            cache_control = response.headers.get("Cache-Control", "")
        # The self-description can only come from an answer; option labels also list questions.
        if url in edi_pages or SELF_DESCRIPTION in body:
            assert cache_control == "no-store", f"{url} may be kept by a browser or proxy"


def test_a_person_page_refused_on_submission_is_never_stored(client, login, edi_person):
    person, _photo, curator = edi_person
    login(curator)
    response = client.post(
        f"/people/{person.id}", data={"name": "", "job_role": "0", "department": "0"}
    )
    assert response.status_code == 422 and QUESTION in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("role", [None, "contributor", "comms"])
def test_search_suggestions_and_the_person_field_give_no_answer_away(
    client, login_as, edi_person, role
):
    if role:
        login_as(role)
    for text in ["quokkx", "zebracorx", "caring:quok*", "gender:zebra*"]:
        for url in ("/api/search", "/search"):
            body = client.get(url, query_string={"q": text}).get_data(as_text=True).lower()
            assert "quokka" not in body and "zebracorn" not in body, f"{text} at {url}"
    for text in ["person:grace*", "name:adeyemi"]:
        assert client.get("/api/search", query_string={"q": text}).status_code == 400


def test_curators_edi_search_pages_are_never_stored(client, login, edi_person, make_exhibition):
    _person, photo, curator = edi_person
    exhibition = make_exhibition([], published=False)  # the photo comes from the search
    login(curator)
    for url in (
        f"/search?q=caring:{OPTION.lower()}",
        f"/api/search?q=caring:{OPTION.lower()}",
        f"/curate/{exhibition.id}?q=caring:{OPTION.lower()}",
    ):
        with client.get(url) as response:
            assert response.status_code == 200
            assert photo.title in response.get_data(as_text=True)  # found by an EDI answer
            assert response.headers.get("Cache-Control") == "no-store", url
    with client.session_transaction() as session:
        session.clear()
    with client.get("/search?q=spectrometer") as visitors:
        assert visitors.status_code == 200 and "no-store" not in visitors.headers.get(
            "Cache-Control", ""
        )


def test_exports_and_consent_links_carry_no_edi_answer(
    app, client, login, make_person, make_photo, edi_person, make_exhibition
):
    person, photo, curator = edi_person
    colleague = make_person("Ana Souza", scopes=["internal", "exhibition", "web", "press"])
    together = make_photo(people=[person, colleague], status="approved", title="At the bench")
    exhibition = make_exhibition([photo, together])
    tokens = [issue_link(person, curator), issue_link(colleague, curator)]
    urls = every_url(app, person, together, tokens, [exhibition])
    login(curator)
    exports = {}
    for url in urls:
        with client.get(url) as response:
            files = exported_files(response)
        if files is not None:
            exports[url] = b"\n".join(files).decode("utf-8", errors="replace")
    assert {f"/curate/{exhibition.id}/export.zip", "/reports/representation.csv"} <= set(exports)
    for url, text in exports.items():
        assert SELF_DESCRIPTION not in text, f"{url} names a self-description"
        if url.startswith("/reports/"):
            # Curators may have the totals, and a group of one is "fewer than 5".
            assert f"{QUESTION},{OPTION},fewer than 5,fewer than 5" in text
        else:
            assert OPTION not in text and QUESTION not in text, f"{url} holds an EDI answer"

    with client.session_transaction() as session:
        session.clear()
    links = [url for url in urls if url.startswith("/my-consent/")]
    assert len(links) >= 2 * 3  # each link's page and its photos' files
    for url in links:
        with client.get(url) as response:
            body = response.get_data().decode("utf-8", errors="replace")
        assert SELF_DESCRIPTION not in body, f"leaked at {url}"
        chosen = set(re.findall(r'<option selected value="(\d+)"', body))
        assert chosen <= {"0"}, f"an earlier answer is chosen at {url}"  # 0: Not answered
