"""Every consent change and every download leaves exactly one audit record."""

import io
from collections import Counter

import pytest
from PIL import Image
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from archive.auth.models import User
from archive.consent.link import issue_link
from archive.consent.models import ConsentForm
from archive.core.audit import AuditEvent, record_event
from archive.exhibitions.models import Exhibition, Visibility
from archive.extensions import db
from archive.licences.services import licence_by_code
from tests.fixtures.app import PASSWORD


def audit_events() -> Counter:
    return Counter(
        (event.action, event.target_type, event.target_id)
        for event in db.session.execute(db.select(AuditEvent)).scalars()
    )


def new_events(before: Counter) -> list[tuple]:
    return sorted((audit_events() - before).elements())


def pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (100, 140), "white").save(buffer, "PDF")
    return buffer.getvalue()


def test_each_consent_change_and_download_is_audited_once(
    client, login, make_user, make_person, make_photo
):
    curator = make_user("curator")
    comms = make_user("comms")
    person = make_person("Olivia Nowak")
    photo = make_photo(people=[person], status="approved")
    login(curator)

    before = audit_events()
    client.post(
        f"/people/{person.id}/consent",
        data={
            "consent-file": (io.BytesIO(pdf()), "olivia.pdf"),
            "consent-scopes": ["internal", "press"],
            "consent-signed_on": "2026-01-10",
        },
        content_type="multipart/form-data",
    )
    [form] = ConsentForm.query.all()
    assert new_events(before) == [("consent.recorded", "consent_form", form.id)]

    before = audit_events()
    client.post(f"/consent/{form.id}/renew", data={"expires_on": "2030-01-01"})
    assert new_events(before) == [("consent.renewed", "consent_form", form.id)]

    login(comms)
    before = audit_events()
    client.post(
        f"/photos/{photo.id}/download",
        data={"size": "display", "purpose": "Newsletter", "accept": "y"},
    )
    assert new_events(before) == [("photo.downloaded", "photo", photo.id)]

    login(curator)
    before = audit_events()
    client.post(f"/consent/{form.id}/withdraw", data={"reason": "Asked by phone", "confirm": "yes"})
    assert new_events(before) == [("consent.withdrawn", "consent_form", form.id)]

    # Through the personal link: giving consent, then withdrawing it.
    token = issue_link(person, curator)
    before = audit_events()
    client.post(f"/my-consent/{token}", data={"scopes": ["web"], "typed_name": "Olivia Nowak"})
    given = ConsentForm.query.filter_by(source="self-service").one()
    assert new_events(before) == [("consent.recorded", "consent_form", given.id)]
    before = audit_events()
    client.post(f"/my-consent/{token}/withdraw")
    assert new_events(before) == [("consent.withdrawn", "consent_form", given.id)]


def test_audit_events_cannot_be_changed_or_deleted(make_user):
    event = record_event(make_user("admin"), "test.event", "thing", 1)
    db.session.commit()
    event.detail = "rewritten"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(event)
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()


def details_of(action: str) -> list[str]:
    return [
        event.detail
        for event in db.session.execute(db.select(AuditEvent).filter_by(action=action)).scalars()
    ]


def test_admin_user_changes_are_audited_once_each(client, login, make_user):
    admin = login(make_user("admin"))
    new_user = {"email": "ines@example.org", "name": "Ines", "role": "comms"}

    before = audit_events()
    client.post("/admin/users", data={**new_user, "password": PASSWORD})
    ines = db.session.execute(db.select(User).filter_by(email="ines@example.org")).scalar_one()
    assert new_events(before) == [("user.created", "user", ines.id)]

    before = audit_events()
    client.post(f"/admin/users/{ines.id}", data={"role": "curator", "active": "y"})
    assert new_events(before) == [("user.role_changed", "user", ines.id)]
    assert details_of("user.role_changed") == ["comms → curator"]

    before = audit_events()
    client.post(f"/admin/users/{ines.id}", data={"role": "curator"})
    assert new_events(before) == [("user.disabled", "user", ines.id)]

    before = audit_events()
    client.post(f"/admin/users/{ines.id}", data={"role": "curator", "active": "y"})
    assert new_events(before) == [("user.enabled", "user", ines.id)]

    [created] = AuditEvent.query.filter_by(action="user.created", target_id=ines.id).all()
    assert created.actor_id == admin.id


def test_a_password_change_is_audited_without_the_password(client, login, make_user):
    user = login(make_user("comms"))
    new_password = "a much longer passphrase 2026"
    before = audit_events()
    client.post("/account/password", data={"current": PASSWORD, "new": new_password})
    assert new_events(before) == [("user.password_changed", "user", user.id)]
    assert all(new_password not in detail for detail in details_of("user.password_changed"))


def test_create_user_on_the_command_line_is_audited_with_no_actor(runner):
    result = runner.invoke(
        args=["create-user", "cli@example.org", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    [event] = AuditEvent.query.filter_by(action="user.created").all()
    assert event.actor_id is None


def test_licence_changes_are_audited_once_each(client, login, make_user):
    login(make_user("admin"))
    fields = {"code": "CC0", "name": "Public domain", "credit_template": "Photo: {photographer}"}

    before = audit_events()
    client.post("/admin/licences", data=fields)
    licence = licence_by_code("CC0")
    assert new_events(before) == [("licence.created", "licence", licence.id)]

    before = audit_events()
    client.post(f"/admin/licences/{licence.id}", data={**fields, "terms": "No rights reserved."})
    assert new_events(before) == [("licence.edited", "licence", licence.id)]
    assert details_of("licence.edited") == ["changed: terms"]

    before = audit_events()
    response = client.post(f"/admin/licences/{licence.id}", data={**fields, "code": "ARR"})
    assert "Another licence already has the code ARR." in response.get_data(as_text=True)
    assert new_events(before) == []


def test_publishing_and_unpublishing_an_exhibition_are_audited(
    client, login, make_user, make_exhibition, exhibit_photos
):
    exhibition = make_exhibition(exhibit_photos[:2], published=False)
    login(make_user("curator"))

    before = audit_events()
    client.post(f"/curate/{exhibition.id}/publish")
    assert new_events(before) == [("exhibition.published", "exhibition", exhibition.id)]

    before = audit_events()
    client.post(f"/curate/{exhibition.id}/unpublish")
    assert db.session.get(Exhibition, exhibition.id).status == "draft"
    assert new_events(before) == [("exhibition.unpublished", "exhibition", exhibition.id)]


def test_opening_a_signed_consent_form_is_audited(client, login, make_user, make_person):
    curator = login(make_user("curator"))
    person = make_person("Olivia Nowak", scopes=["internal"])
    [form] = person.consent_forms

    before = audit_events()
    with client.get(f"/consent/{form.id}/file") as response:
        assert response.status_code == 200
    assert new_events(before) == [("consent_file.opened", "consent_form", form.id)]
    [event] = AuditEvent.query.filter_by(action="consent_file.opened").all()
    assert event.actor_id == curator.id


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET detail = 'rewritten', actor_id = NULL",
        "DELETE FROM audit_events",
    ],
)
def test_the_database_refuses_to_change_or_delete_audit_rows(make_user, statement):
    admin = make_user("admin")
    event = record_event(admin, "test.event", "thing", 1, detail="as it happened")
    db.session.commit()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text(statement))
    db.session.rollback()
    row = db.session.execute(
        text("SELECT detail, actor_id FROM audit_events WHERE id = :id"), {"id": event.id}
    ).one()
    assert tuple(row) == ("as it happened", admin.id)


def test_postgresql_refuses_to_truncate_the_audit_log(make_user):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    record_event(make_user("admin"), "test.event", "thing", 1)
    db.session.commit()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("TRUNCATE audit_events"))
    db.session.rollback()
    assert AuditEvent.query.count() > 0


def test_only_a_published_exhibition_offers_to_be_unpublished(
    client, login, make_user, make_exhibition, exhibit_photos
):
    exhibition = make_exhibition(exhibit_photos[:2], published=False)
    login(make_user("curator"))
    action = f"/curate/{exhibition.id}/unpublish"
    assert action not in client.get(f"/curate/{exhibition.id}").get_data(as_text=True)
    client.post(f"/curate/{exhibition.id}/publish")
    assert action in client.get(f"/curate/{exhibition.id}").get_data(as_text=True)


def test_a_new_secret_link_for_an_exhibition_is_audited(
    client, login, make_user, make_exhibition, exhibit_photos
):
    exhibition = make_exhibition(exhibit_photos[:1], visibility=Visibility.UNLISTED)
    login(make_user("curator"))
    before = audit_events()
    client.post(f"/curate/{exhibition.id}/rotate-key")
    assert new_events(before) == [("exhibition.key_rotated", "exhibition", exhibition.id)]
