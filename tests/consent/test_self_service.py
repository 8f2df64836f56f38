"""The personal consent link: give, change and withdraw consent without an account."""

import io
from datetime import date

import pytest
from PIL import Image

from archive.auth.models import Role, User
from archive.consent.erasure import erase_person
from archive.consent.intake import withdraw_consent
from archive.consent.link import issue_link
from archive.consent.models import ConsentForm, ConsentScope
from archive.consent.rules import allowed
from archive.extensions import db
from archive.people.edi import edi_attributes
from archive.photos.models import PhotoStatus
from archive.storage import get_storage
from tests.fixtures.app import PASSWORD


@pytest.fixture
def subject(make_user, make_person, make_photo):
    """A person shown in an approved photo, with no consent yet, and their link token."""
    curator = make_user("curator")
    person = make_person("Kwame Mensah")
    photo = make_photo(people=[person], status=PhotoStatus.APPROVED, title="Sample archive")
    return person, photo, issue_link(person, curator)


def test_granting_web_then_withdrawing_through_the_same_link(
    app, client, login, make_user, subject
):
    person, photo, token = subject
    assert not allowed(photo, ConsentScope.WEB).allowed

    page = client.get(f"/my-consent/{token}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Hello Kwame Mensah" in html and "Sample archive" in html
    thumb = photo.derivative("thumb")
    with client.get(f"/my-consent/{token}/photo/{thumb.sha256}.jpg") as image:
        assert image.status_code == 200  # the person sees their own photos, no account needed

    gender = next(a for a in edi_attributes() if a.key == "gender")
    woman = next(o for o in gender.options if o.label == "Woman")
    response = client.post(
        f"/my-consent/{token}",
        data={
            "scopes": ["web", "internal"],
            "typed_name": "  kwame   MENSAH ",
            f"edi_{gender.id}": str(woman.id),
        },
    )
    assert response.status_code == 303
    form = ConsentForm.query.filter_by(source="self-service").one()
    assert form.scopes == {ConsentScope.WEB, ConsentScope.INTERNAL}
    assert form.signed_on == date.today() and form.person_id == person.id
    assert person.edi_answer(gender).option_id == woman.id
    # The generated record is a real PDF saying what was agreed.
    with get_storage().open(form.storage_key) as record:
        assert record.read(5) == b"%PDF-"
    assert allowed(photo, ConsentScope.WEB).allowed
    assert not allowed(photo, ConsentScope.PRESS).allowed  # declined

    comms = make_user("comms")
    withdrawn = client.post(f"/my-consent/{token}/withdraw")
    assert withdrawn.status_code == 200
    assert withdrawn.headers["Cache-Control"] == "no-store"
    assert "Your consent is withdrawn" in withdrawn.get_data(as_text=True)
    assert not allowed(photo, ConsentScope.WEB).allowed
    # Gone on the next request, for everyone outside the curators.
    with client.session_transaction() as session:
        session.clear()
    assert client.get(f"/photos/{photo.id}").status_code == 302
    with client.get(f"/media/{thumb.sha256}.jpg") as media:
        assert media.status_code == 404
    login(comms)
    assert client.get(f"/photos/{photo.id}").status_code == 404
    assert client.get(f"/photos/{photo.id}/download").status_code == 404


def test_a_new_answer_supersedes_the_old_one(client, subject):
    person, photo, token = subject
    client.post(
        f"/my-consent/{token}", data={"scopes": ["web", "press"], "typed_name": person.name}
    )
    client.post(f"/my-consent/{token}", data={"scopes": ["internal"], "typed_name": person.name})
    assert not allowed(photo, ConsentScope.PRESS).allowed
    assert allowed(photo, ConsentScope.INTERNAL).allowed
    states = sorted(form.state(date.today()) for form in person.consent_forms)
    assert states == ["valid", "withdrawn"]


def test_the_typed_name_must_match(client, subject):
    _person, _photo, token = subject
    response = client.post(
        f"/my-consent/{token}", data={"scopes": ["web"], "typed_name": "Someone"}
    )
    assert response.status_code == 422
    assert "Please type your name exactly as shown: Kwame Mensah" in response.get_data(as_text=True)
    assert ConsentForm.query.count() == 0


def test_earlier_edi_answers_are_kept_unshown_unless_forgotten(client, subject):
    person, _photo, token = subject
    gender = next(a for a in edi_attributes() if a.key == "gender")
    man = next(o for o in gender.options if o.label == "Man")
    client.post(
        f"/my-consent/{token}",
        data={"scopes": ["web"], "typed_name": person.name, f"edi_{gender.id}": str(man.id)},
    )
    assert f'<option selected value="{man.id}"' not in client.get(f"/my-consent/{token}").get_data(
        as_text=True
    )
    client.post(f"/my-consent/{token}", data={"scopes": ["web"], "typed_name": person.name})
    assert person.edi_answer(gender).option_id == man.id
    client.post(
        f"/my-consent/{token}",
        data={"scopes": ["web"], "typed_name": person.name, "forget_edi": "y"},
    )
    assert person.edi_answer(gender) is None


def test_an_expired_link_gets_410_and_a_tampered_one_404(app, client, subject):
    _person, _photo, token = subject
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.get(f"/my-consent/{tampered}")
    assert response.status_code == 404
    assert "This consent link is not valid" in response.get_data(as_text=True)
    assert client.post(f"/my-consent/{tampered}/withdraw").status_code == 404
    app.config["CONSENT_LINK_DAYS"] = -1  # every link is now past its age
    response = client.get(f"/my-consent/{token}")
    assert response.status_code == 410
    assert "This consent link has expired" in response.get_data(as_text=True)
    assert ConsentForm.query.count() == 0


def test_curators_make_links_and_the_issue_is_audited(client, login, subject):
    person, _photo, _token = subject
    login(User.query.filter_by(role=Role.CURATOR).first())
    page = client.post(f"/people/{person.id}/link").get_data(as_text=True)
    assert "http://127.0.0.1:5000/my-consent/" in page  # at PUBLIC_URL
    from archive.core.audit import AuditEvent

    assert AuditEvent.query.filter_by(action="consent.link_issued").count() == 2
    db.session.rollback()


def _regrant(client, token, person):
    """Post an answer granting every use through the link; return the response."""
    scopes = [scope.value for scope in ConsentScope]
    return client.post(f"/my-consent/{token}", data={"scopes": scopes, "typed_name": person.name})


def test_a_link_used_to_withdraw_cannot_undo_the_withdrawal(client, subject):
    person, photo, token = subject
    gender = next(a for a in edi_attributes() if a.key == "gender")
    man = next(o for o in gender.options if o.label == "Man")
    client.post(
        f"/my-consent/{token}",
        data={"scopes": ["web"], "typed_name": person.name, f"edi_{gender.id}": str(man.id)},
    )
    withdrawn = client.post(f"/my-consent/{token}/withdraw")
    assert "Your consent is withdrawn" in withdrawn.get_data(as_text=True)
    assert "ask the project team for a new one" in withdrawn.get_data(as_text=True)

    forms_before = ConsentForm.query.count()
    response = _regrant(client, token, person)
    assert response.status_code == 410
    assert "This consent link is no longer valid" in response.get_data(as_text=True)
    forget = client.post(
        f"/my-consent/{token}",
        data={"scopes": ["web"], "typed_name": person.name, "forget_edi": "y"},
    )
    assert forget.status_code == 410
    db.session.expire_all()
    assert ConsentForm.query.count() == forms_before
    assert not allowed(photo, ConsentScope.WEB).allowed
    assert person.edi_answer(gender).option_id == man.id  # the EDI answers are untouched
    # Nor does the old link still show the person's page or photos.
    page = client.get(f"/my-consent/{token}")
    assert page.status_code == 410 and "Kwame Mensah" not in page.get_data(as_text=True)
    thumb = photo.derivative("thumb")
    assert client.get(f"/my-consent/{token}/photo/{thumb.sha256}.jpg").status_code == 404


def test_a_curators_withdrawal_ends_the_link_and_a_fresh_link_works(
    client, login, make_user, subject
):
    person, photo, token = subject
    _regrant(client, token, person)
    curator = User.query.filter_by(role=Role.CURATOR).first()
    [form] = [f for f in person.consent_forms if f.withdrawn_on is None]
    login(curator)
    client.post(f"/consent/{form.id}/withdraw", data={"reason": "Asked by phone", "confirm": "yes"})
    with client.session_transaction() as session:
        session.clear()
    assert _regrant(client, token, person).status_code == 410
    assert not allowed(photo, ConsentScope.WEB).allowed

    fresh = issue_link(person, curator)
    assert client.get(f"/my-consent/{fresh}").status_code == 200
    assert _regrant(client, fresh, person).status_code == 303
    assert allowed(photo, ConsentScope.WEB).allowed


def test_issuing_a_new_link_ends_the_older_one(client, subject):
    person, _photo, token = subject
    newer = issue_link(person, User.query.filter_by(role=Role.CURATOR).first())
    response = client.get(f"/my-consent/{token}")
    assert response.status_code == 410
    assert "ask the project team for a new one" in response.get_data(as_text=True)
    assert _regrant(client, token, person).status_code == 410
    assert ConsentForm.query.count() == 0
    assert client.get(f"/my-consent/{newer}").status_code == 200


def test_erasure_ends_the_link(client, subject):
    person, _photo, token = subject
    erase_person(person, by=User.query.filter_by(role=Role.CURATOR).first(), delete_originals=False)
    assert client.get(f"/my-consent/{token}").status_code in (404, 410)
    assert person.consent_link_version > 0


def test_the_link_serves_only_thumbnails_of_the_persons_pending_or_approved_photos(
    client, make_photo, subject
):
    person, approved, token = subject
    pending = make_photo(people=[person], title="Pending one")
    rejected = make_photo(people=[person], status=PhotoStatus.REJECTED, title="Rejected one")
    withdrawn = make_photo(people=[person], status=PhotoStatus.WITHDRAWN, title="Withdrawn one")
    someone_else = make_photo(status=PhotoStatus.APPROVED, title="Not of them")

    def fetch(photo, kind="thumb"):
        sha = photo.derivative(kind).sha256
        return client.get(f"/my-consent/{token}/photo/{sha}.jpg")

    for photo in (rejected, withdrawn, someone_else):
        assert fetch(photo).status_code == 404
    for photo in (approved, pending):
        with fetch(photo) as response:
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == "no-store"
            image = Image.open(io.BytesIO(response.get_data()))
            assert max(image.size) <= 400
        for kind in ("display", "large"):
            if photo.derivative(kind).sha256 != photo.derivative("thumb").sha256:
                assert fetch(photo, kind).status_code == 404
    page = client.get(f"/my-consent/{token}").get_data(as_text=True)
    assert "Pending one" in page and "Rejected one" not in page and "Withdrawn one" not in page


def test_a_link_shows_no_photo_in_which_someone_withdrew(client, make_person, make_photo, subject):
    person, _approved, token = subject
    colleague = make_person("Ana Souza", scopes=["internal", "web"])
    together = make_photo(people=[person, colleague], status=PhotoStatus.APPROVED, title="Both")
    thumb = f"/my-consent/{token}/photo/{together.derivative('thumb').sha256}.jpg"
    assert "Both" in client.get(f"/my-consent/{token}").get_data(as_text=True)
    with client.get(thumb) as response:
        assert response.status_code == 200
    withdraw_consent(colleague.consent_forms[0], by=None, on=date.today())
    assert "Both" not in client.get(f"/my-consent/{token}").get_data(as_text=True)
    assert client.get(thumb).status_code == 404
    # Nor does the colleague's own new link show it: the link may reach someone else.
    fresh = issue_link(colleague, User.query.filter_by(role=Role.CURATOR).first())
    page = client.get(f"/my-consent/{fresh}").get_data(as_text=True)
    assert "Both" not in page and "There are no photographs of you to show here." in page
    assert (
        client.get(
            f"/my-consent/{fresh}/photo/{together.derivative('thumb').sha256}.jpg"
        ).status_code
        == 404
    )


def test_the_curators_link_page_gives_the_public_address_whatever_the_host(app, client, subject):
    person, _photo, _token = subject
    app.config["PUBLIC_URL"] = "https://archive.example.ac.uk"
    forged = "http://attacker.example"  # a Host header anyone can send
    curator = User.query.filter_by(role=Role.CURATOR).first()
    client.post("/login", data={"email": curator.email, "password": PASSWORD}, base_url=forged)
    page = client.post(f"/people/{person.id}/link", base_url=forged).get_data(as_text=True)
    assert "https://archive.example.ac.uk/my-consent/" in page
    assert "attacker.example" not in page


def test_the_link_asks_about_exhibitions_about_identity_and_records_the_answer(client, subject):
    person, photo, token = subject
    html = client.get(f"/my-consent/{token}").get_data(as_text=True)
    assert 'value="identity"' in html
    assert "Exhibitions about identity (e.g. women in technical roles)" in html
    assert "tells its visitors something about the people in it" in html
    client.post(
        f"/my-consent/{token}", data={"scopes": ["web", "identity"], "typed_name": person.name}
    )
    form = ConsentForm.query.filter_by(source="self-service").one()
    assert form.scopes == {ConsentScope.WEB, ConsentScope.IDENTITY}
    assert allowed(photo, ConsentScope.IDENTITY).allowed
    page = client.get(f"/my-consent/{token}").get_data(as_text=True)
    assert (
        "Exhibitions about identity (e.g. women in technical roles), Public web galleries" in page
    )
