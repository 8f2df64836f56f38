"""Contributors are told by e-mail when a curator approves or rejects their upload."""

from flask import current_app

from archive.auth.services import update_user
from archive.extensions import db
from archive.licences.services import licence_by_code
from archive.mail.models import MailMessage
from archive.photos.models import Photo, PhotoStatus

APPROVE = {"approve": "Approve"}


def photo_url(photo: Photo) -> str:
    return f"{current_app.config['PUBLIC_URL']}/photos/{photo.id}"


def test_an_approval_reaches_the_uploader_with_a_link_to_the_photo(
    client, login_as, make_user, make_photo, make_answering_person, mail
):
    make_user("curator")
    owner = make_user("contributor", email="ines@example.org", name="Inés Duarte")
    shown = make_answering_person("Kofi Mensah", scopes=["internal", "web"])
    photo = make_photo(uploaded_by=owner, people=[shown], title="Annealing the glass")
    login_as("curator")
    licence = str(licence_by_code("CC-BY-4.0").id)
    client.post(f"/review/{photo.id}", data={**APPROVE, "licence": licence})
    assert db_status(photo) == PhotoStatus.APPROVED

    assert mail.deliver().sent == 1
    (message,) = mail.messages
    assert message["To"] == "ines@example.org"
    assert message["Subject"] == 'Your photo "Annealing the glass" is approved'
    text = mail.text(message)
    assert "Hello Inés Duarte" in text
    assert f"See the photo: {photo_url(photo)}" in text
    assert f'href="{photo_url(photo)}"' in mail.html(message)


def test_a_rejection_reaches_the_uploader_with_the_curators_reason(
    client, login_as, make_user, make_photo, mail
):
    owner = make_user("contributor", email="ines@example.org")
    photo = make_photo(uploaded_by=owner, title="Annealing the glass")
    login_as("curator")
    client.post(
        f"/review/{photo.id}",
        data={"note": "The gauge is out of focus; please take it again.", "reject": "Reject"},
    )
    assert db_status(photo) == PhotoStatus.REJECTED

    mail.deliver()
    (message,) = mail.messages
    assert message["To"] == "ines@example.org"
    assert message["Subject"] == 'Your photo "Annealing the glass" was not accepted'
    for body in (mail.text(message), mail.html(message)):
        assert "The gauge is out of focus; please take it again." in body
        assert photo_url(photo) in body


def test_approving_several_from_the_queue_tells_each_uploader_once(
    client, login_as, make_user, make_photo, mail
):
    first = make_photo(uploaded_by=make_user("contributor", email="a@example.org"), title="A")
    second = make_photo(uploaded_by=make_user("contributor", email="b@example.org"), title="B")
    login_as("curator")
    client.post("/review/approve", data={"photos": [first.id, second.id, first.id]})

    mail.deliver()
    assert sorted((m["To"], m["Subject"]) for m in mail.messages) == [
        ("a@example.org", 'Your photo "A" is approved'),
        ("b@example.org", 'Your photo "B" is approved'),
    ]


def test_no_mail_to_a_turned_off_account_nor_of_a_curators_own_upload(
    client, login, make_user, make_photo, mail
):
    curator = make_user("curator")
    gone = make_user("contributor", email="gone@example.org")
    update_user(gone, role=gone.role, active=False)
    theirs = make_photo(uploaded_by=gone, title="Left behind")
    own = make_photo(uploaded_by=curator, title="My own")
    login(curator)
    client.post(f"/review/{theirs.id}", data={"note": "Blurred.", "reject": "Reject"})
    client.post(f"/review/{own.id}", data={**APPROVE, "licence": str(own.licence_id)})

    assert (db_status(theirs), db_status(own)) == (PhotoStatus.REJECTED, PhotoStatus.APPROVED)
    assert MailMessage.query.count() == 0
    assert mail.deliver().sent == 0


def db_status(photo: Photo) -> PhotoStatus:
    return db.session.get(Photo, photo.id).status
