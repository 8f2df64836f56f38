"""Destructive actions ask first, without JavaScript, and change nothing until confirmed."""

from archive.core.audit import AuditEvent
from archive.exhibitions.models import ExhibitionItem
from archive.extensions import db
from tests.test_html_validity import checker_messages


def _events() -> int:
    return db.session.query(AuditEvent).count()


def test_removing_an_item_asks_first_then_removes_it_with_a_message(
    client, login_as, make_exhibition, exhibit_photos
):
    exhibition = make_exhibition(exhibit_photos[:2])
    item = exhibition.items[0]
    login_as("curator")
    before = _events()
    url = f"/curate/{exhibition.id}/items/{item.id}/remove"
    asked = client.post(url)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Remove “Glassblowing” from “Behind the bench”?" in html
    assert "The photo stays in the archive" in html
    assert 'name="confirm" value="yes"' in html
    assert f'href="/curate/{exhibition.id}#item-{item.id}">Cancel</a>' in html
    assert db.session.get(ExhibitionItem, item.id) is not None and _events() == before

    done = client.post(url, data={"confirm": "yes"}, follow_redirects=True)
    assert db.session.get(ExhibitionItem, item.id) is None
    assert "Removed “Glassblowing” from the exhibition." in done.get_data(as_text=True)


def test_withdrawing_a_consent_asks_first_and_carries_the_reason(client, login_as, consented_photo):
    form = consented_photo.people[0].consent_forms[0]
    login_as("curator")
    before = _events()
    asked = client.post(f"/consent/{form.id}/withdraw", data={"reason": "Asked by phone"})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Withdraw Mei Lin’s consent?" in html
    assert "1 approved photo of Mei Lin leave every use it covered" in html
    assert '<input type="hidden" name="reason" value="Asked by phone">' in html
    assert f'href="/people/{form.person_id}">Cancel</a>' in html
    db.session.refresh(form)
    assert form.withdrawn_on is None and _events() == before

    done = client.post(
        f"/consent/{form.id}/withdraw", data={"reason": "Asked by phone", "confirm": "yes"}
    )
    assert done.status_code == 302
    db.session.refresh(form)
    assert form.withdrawn_on is not None and form.withdrawal_reason == "Asked by phone"


def test_erasing_a_person_uses_the_same_confirmation(client, login_as, make_person):
    person = make_person("Grace Adeyemi")
    login_as("admin")
    html = client.get(f"/people/{person.id}/erase").get_data(as_text=True)
    assert "<h1>Erase Grace Adeyemi?</h1>" in html
    assert 'class="narrow confirm"' in html and 'name="confirm" value="yes"' in html
    assert f'href="/people/{person.id}">Cancel</a>' in html


def test_the_confirmation_pages_have_no_html_errors(
    client, login_as, make_exhibition, exhibit_photos, consented_photo, tmp_path
):
    exhibition = make_exhibition(exhibit_photos[:1])
    form = consented_photo.people[0].consent_forms[0]
    login_as("curator")
    files = []
    for name, url in (
        ("remove", f"/curate/{exhibition.id}/items/{exhibition.items[0].id}/remove"),
        ("withdraw", f"/consent/{form.id}/withdraw"),
    ):
        path = tmp_path / f"{name}.html"
        asked = client.post(url, data={"reason": "Asked"})
        assert asked.status_code == 200, f"{url} did not ask first"
        path.write_text(asked.get_data(as_text=True))
        files.append(str(path))
    errors = [m for m in checker_messages(files) if m["type"] in ("error", "non-document-error")]
    assert errors == []


def test_the_question_carries_every_value_of_a_repeated_field(app):
    from archive.core.confirmation import confirmation_page

    form = {"photo_ids": ["3", "5"], "csrf_token": "t", "reason": "Asked"}
    with app.test_request_context("/", method="POST", data=form):
        html = confirmation_page(
            question="Withdraw?", consequences=[], confirm_label="Withdraw", cancel_url="/"
        )
    assert 'name="photo_ids" value="3"' in html and 'name="photo_ids" value="5"' in html
    assert 'name="reason" value="Asked"' in html and "csrf_token\" value=\"t\"" not in html
