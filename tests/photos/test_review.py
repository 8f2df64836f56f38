"""Curators approve or reject pending photos, tag them and record the consent forms sent."""

import io

from PIL import Image

from archive.consent.models import ConsentForm, ConsentScope
from archive.core.audit import AuditEvent
from archive.extensions import db
from archive.licences.services import licence_by_code
from archive.people.models import Term, Vocabulary
from archive.photos.models import Photo, PhotoStatus
from tests.photos.test_upload import entry, post_upload


def term(vocabulary, label) -> Term:
    return db.session.execute(
        db.select(Term).filter_by(vocabulary=vocabulary, label=label)
    ).scalar_one()


def test_the_queue_lists_pending_photos_oldest_first(client, login_as, make_user, make_photo):
    owner = make_user("contributor")
    first = make_photo(uploaded_by=owner, title="First")
    make_photo(uploaded_by=owner, title="Approved already", status=PhotoStatus.APPROVED)
    second = make_photo(uploaded_by=owner, title="Second")
    login_as("curator")
    page = client.get("/review").get_data(as_text=True)
    assert "2 photos awaiting review" in page
    assert page.index(first.title) < page.index(second.title)
    assert "Approved already" not in page


def test_approving_sets_tags_and_licence_and_is_audited(client, login_as, make_user, make_photo):
    photo = make_photo(uploaded_by=make_user("contributor"), licence=None)
    curator = login_as("curator")
    role = term(Vocabulary.JOB_ROLE, "Glassblower")
    department = term(Vocabulary.DEPARTMENT, "Chemistry")
    response = client.post(
        f"/review/{photo.id}",
        data={
            "job_roles": [str(role.id)],
            "departments": [str(department.id)],
            "licence": str(licence_by_code("CC-BY-4.0").id),
            "approve": "Approve",
        },
    )
    assert response.status_code == 302
    photo = db.session.get(Photo, photo.id)
    assert photo.status == PhotoStatus.APPROVED
    assert {t.label for t in photo.tags} == {"Glassblower", "Chemistry"}
    assert photo.licence.code == "CC-BY-4.0"
    assert photo.reviewed_by_id == curator.id and photo.reviewed_at is not None
    [event] = AuditEvent.query.filter_by(action="photo.approved").all()
    assert (event.actor_id, event.target_id) == (curator.id, photo.id)


def test_rejecting_needs_a_reason_which_the_contributor_then_sees(
    client, login, login_as, make_user, make_photo
):
    owner = make_user("contributor")
    photo = make_photo(uploaded_by=owner)
    login_as("curator")
    refused = client.post(f"/review/{photo.id}", data={"note": " ", "reject": "Reject"})
    assert refused.status_code == 422
    assert "Give a reason for rejecting" in refused.get_data(as_text=True)
    assert db.session.get(Photo, photo.id).status == PhotoStatus.PENDING
    client.post(f"/review/{photo.id}", data={"note": "Out of focus", "reject": "Reject"})
    assert db.session.get(Photo, photo.id).status == PhotoStatus.REJECTED
    assert AuditEvent.query.filter_by(action="photo.rejected").count() == 1
    login(owner)
    page = client.get("/my-uploads").get_data(as_text=True)
    assert "status-rejected" in page and "Reason: Out of focus" in page


def test_a_decided_photo_cannot_be_decided_again(client, login_as, make_user, make_photo):
    photo = make_photo(uploaded_by=make_user("contributor"), status=PhotoStatus.APPROVED)
    login_as("curator")
    response = client.post(f"/review/{photo.id}", data={"note": "x", "reject": "Reject"})
    assert response.status_code == 422
    assert "This photo is already approved" in response.get_data(as_text=True)


def test_the_curator_links_the_uploaded_consent_form_and_the_photo_becomes_usable(
    client, login, login_as, make_user, picture
):
    owner = login_as("contributor")
    buffer = io.BytesIO()
    Image.new("RGB", (120, 170), "white").save(buffer, "PDF")
    post_upload(
        client,
        entry(0, picture(), no_people=False, new_person_name="Joseph Okafor"),
        consents=[("okafor.pdf", buffer.getvalue())],
    )
    photo = Photo.query.one()
    [form] = ConsentForm.query.all()
    curator = login_as("curator")
    page = client.get(f"/review/{photo.id}").get_data(as_text=True)
    assert "okafor.pdf" in page and "not yet recorded" in page
    response = client.post(
        f"/consent/{form.id}?photo={photo.id}",
        data={
            f"consent{form.id}-person": str(photo.people[0].id),
            f"consent{form.id}-scopes": ["internal", "web"],
            f"consent{form.id}-signed_on": "2026-01-15",
            f"consent{form.id}-expires_on": "",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/review/{photo.id}#consent-{form.id}"
    )
    form = db.session.get(ConsentForm, form.id)
    assert form.person.name == "Joseph Okafor"
    assert form.scopes == {ConsentScope.INTERNAL, ConsentScope.WEB}
    assert AuditEvent.query.filter_by(action="consent.recorded", actor_id=curator.id).count() == 1
    with client.get(f"/consent/{form.id}/file") as signed:
        assert signed.status_code == 200 and signed.mimetype == "application/pdf"
        assert signed.headers["Cache-Control"] == "no-store"
        assert "attachment" in signed.headers["Content-Disposition"]
    client.post(f"/review/{photo.id}", data={"licence": str(photo.licence_id), "approve": "1"})
    page = client.get(f"/photos/{photo.id}").get_data(as_text=True)
    assert 'Internal use</th>\n      <td><span class="yes">Yes' in page
    # The contributor may now see it too, and never the signed form itself.
    login(owner)
    assert client.get(f"/consent/{form.id}/file").status_code == 403


def test_only_curators_and_admins_review(client, login_as, make_user, make_photo):
    photo = make_photo(uploaded_by=make_user("contributor"))
    for role, status in (("contributor", 403), ("comms", 403), ("admin", 200)):
        login_as(role)
        assert client.get("/review").status_code == status
        assert client.get(f"/review/{photo.id}").status_code == status
