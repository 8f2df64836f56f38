"""Curators keep person records and EDI answers; admins erase people."""

import io

import pytest
from PIL import Image

from archive.auth.models import Role
from archive.consent.models import ConsentForm
from archive.core.audit import AuditEvent
from archive.extensions import db
from archive.people.edi import edi_attributes
from archive.people.models import Person
from archive.photos.models import Photo, PhotoStatus
from tests.fixtures.photos import stored_files


def test_a_curator_adds_a_person_with_edi_answers(client, login_as):
    login_as("curator")
    gender = next(a for a in edi_attributes() if a.key == "gender")
    woman = next(o for o in gender.options if o.label == "Woman")
    response = client.post(
        "/people/new",
        data={
            "name": "Fatima Haddad",
            "email": "f.haddad@example.org",
            "job_role": "0",
            "department": "0",
            f"edi_{gender.id}": str(woman.id),
            f"edi_{gender.id}_text": "woman in STEM",
        },
    )
    assert response.status_code == 302
    person = Person.query.one()
    answer = person.edi_answer(gender)
    assert (answer.option.label, answer.self_description) == ("Woman", "woman in STEM")
    [event] = AuditEvent.query.filter_by(action="person.edi_edited").all()
    assert event.detail == "" and event.target_id == person.id
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "woman in STEM" in page and "f.haddad@example.org" in page


def test_saving_without_edi_changes_adds_no_audit_event(client, login_as, make_person):
    login_as("curator")
    person = make_person("Lukas Weber")
    client.post(
        f"/people/{person.id}", data={"name": "Lukas Weber", "job_role": "0", "department": "0"}
    )
    assert AuditEvent.query.filter_by(action="person.edi_edited").count() == 0


def test_an_admin_erases_a_person_and_their_originals(
    app, client, login_as, make_user, make_person, make_photo
):
    make_user("curator")
    person = make_person("Rhys Morgan", scopes=["web"])
    photo = make_photo(people=[person], status="approved")
    other = make_photo(status="approved")
    login_as("admin")
    page = client.post(
        f"/people/{person.id}/erase", data={"confirm_name": "Rhys", "delete_originals": "y"}
    )
    assert page.status_code == 422  # the name must be typed exactly
    response = client.post(
        f"/people/{person.id}/erase", data={"confirm_name": "Rhys Morgan", "delete_originals": "y"}
    )
    assert response.status_code == 200
    assert f"Person {person.id} was erased" in response.get_data(as_text=True)
    person = db.session.get(Person, person.id)
    assert person.name == f"Erased person {person.id}" and person.erased_at is not None
    assert person.edi == [] and person.email == ""
    photo = db.session.get(Photo, photo.id)
    assert photo.status == PhotoStatus.WITHDRAWN and photo.title == "" and photo.derivatives == []
    assert all(form.withdrawn_on for form in ConsentForm.query.all())
    files = stored_files(app)
    assert photo.storage_key not in files
    assert other.storage_key in files  # nobody else's files are touched
    erased = AuditEvent.query.filter_by(action="person.erased").one()
    assert "Rhys" not in erased.detail
    assert client.get(f"/people/{person.id}").status_code == 404


def test_only_admins_erase(client, login_as, make_person):
    person = make_person("Ewan Fraser")
    login_as("curator")
    assert client.get(f"/people/{person.id}/erase").status_code == 403


def test_a_paper_form_is_stored_and_recorded(client, login_as, make_person):
    login_as("curator")
    person = make_person("Chloe Martin")
    buffer = io.BytesIO()
    Image.new("RGB", (100, 140), "white").save(buffer, "PDF")
    response = client.post(
        f"/people/{person.id}/consent",
        data={
            "consent-file": (io.BytesIO(buffer.getvalue()), "chloe.pdf"),
            "consent-scopes": ["web"],
            "consent-signed_on": "2026-02-01",
            "consent-expires_on": "2029-02-01",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    form = ConsentForm.query.one()
    assert (form.person_id, form.original_filename, form.content_type) == (
        person.id,
        "chloe.pdf",
        "application/pdf",
    )
    refused = client.post(
        f"/people/{person.id}/consent",
        data={
            "consent-file": (io.BytesIO(b"hello"), "notes.pdf"),
            "consent-scopes": ["web"],
            "consent-signed_on": "2026-02-01",
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert (
        "A consent form must be a PDF, JPEG or PNG file; this is a text file."
        in refused.get_data(as_text=True)
    )
    assert ConsentForm.query.count() == 1


def test_a_curator_records_consent_to_exhibitions_about_identity_only_if_the_form_grants_it(
    client, login_as, make_person
):
    login_as("curator")
    person = make_person("Chloe Martin")
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert 'value="identity"' in page
    assert "only if the signed form itself grants it" in page
    buffer = io.BytesIO()
    Image.new("RGB", (100, 140), "white").save(buffer, "PDF")
    client.post(
        f"/people/{person.id}/consent",
        data={
            "consent-file": (io.BytesIO(buffer.getvalue()), "chloe.pdf"),
            "consent-scopes": ["web", "identity"],
            "consent-signed_on": "2026-02-01",
        },
        content_type="multipart/form-data",
    )
    assert ConsentForm.query.one().scope_codes == "identity,web"


def test_people_pages_are_for_curators_and_admins(client, login_as, make_person):
    person = make_person("Daniel Evans")
    for role in (Role.CONTRIBUTOR, Role.COMMS):
        login_as(role)
        assert client.get("/people/").status_code == 403
        assert client.get(f"/people/{person.id}").status_code == 403


@pytest.mark.parametrize("posted", ["off", "0", "false", "no"])
def test_an_erasure_keeps_the_originals_unless_the_box_is_really_ticked(
    app, client, login_as, make_user, make_person, make_photo, posted
):
    make_user("curator")
    person = make_person("Rhys Morgan", scopes=["web"])
    photo = make_photo(people=[person], status="approved")
    login_as("admin")
    response = client.post(
        f"/people/{person.id}/erase",
        data={"confirm_name": "Rhys Morgan", "delete_originals": posted},
    )
    assert response.status_code == 200
    assert photo.storage_key in stored_files(app)
    assert "with originals" not in AuditEvent.query.filter_by(action="person.erased").one().detail
