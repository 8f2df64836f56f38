"""Every consent change and every download leaves exactly one audit record."""

import io
from collections import Counter

from PIL import Image

from archive.extensions import db
from archive.rights.models import AuditEvent, ConsentForm
from archive.rights.self_service import issue_link


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
    client.post(f"/consent/{form.id}/withdraw", data={"reason": "Asked by phone"})
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
    import pytest

    from archive.rights.audit import record_event

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
