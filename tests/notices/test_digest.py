"""Curators get one daily message listing the uploads that arrived the day before."""

from datetime import date, datetime, timedelta

from archive.auth.services import update_user
from archive.extensions import db
from archive.mail.models import OPTIONAL_CATEGORIES, MailCategory
from archive.mail.outbox import choose_mail
from archive.photos.models import PhotoStatus


def uploaded_on(photo, day: date, hour: int) -> None:
    photo.uploaded_at = datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)
    db.session.commit()


def notify(runner, day: date) -> str:
    result = runner.invoke(args=["notify", "--day", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_digest_lists_exactly_the_new_uploads_once_and_nothing_on_an_empty_day(
    runner, make_user, make_photo, make_answering_person, mail
):
    day = date(2027, 3, 10)
    make_user("curator", email="ada@example.org", name="Ada Okafor")
    make_user("curator", email="ben@example.org", name="Ben Hale")
    away = make_user("curator", email="away@example.org")
    update_user(away, role=away.role, active=False)
    owner = make_user("contributor", name="Inés Duarte")
    shown = make_answering_person("Kofi Mensah", scopes=["internal"])
    arrived = {
        title: make_photo(uploaded_by=owner, people=[shown], title=title)
        for title in (
            "Morning delivery",
            "Late-night upload",
            "Earlier upload",
            "Today's upload",
            "Already approved",
        )
    }
    uploaded_on(arrived["Morning delivery"], day - timedelta(days=1), 8)
    uploaded_on(arrived["Late-night upload"], day - timedelta(days=1), 23)
    uploaded_on(arrived["Earlier upload"], day - timedelta(days=2), 12)  # the day before's
    uploaded_on(arrived["Today's upload"], day, 1)  # tomorrow's digest
    uploaded_on(arrived["Already approved"], day - timedelta(days=1), 9)
    arrived["Already approved"].status = PhotoStatus.APPROVED
    db.session.commit()

    assert "curators daily digest: 2 queued" in notify(runner, day)
    assert "curators daily digest: 0 queued" in notify(runner, day)  # not twice a day
    assert mail.deliver().sent == 2
    assert sorted(m["To"] for m in mail.messages) == ["ada@example.org", "ben@example.org"]
    message = next(m for m in mail.messages if m["To"] == "ada@example.org")
    assert message["Subject"] == "2 new uploads to review"
    text = mail.text(message)
    assert "Hello Ada Okafor" in text
    assert "uploaded to the Technicians' Archive on 9 March 2027" in text
    assert '"Morning delivery", uploaded by Inés Duarte at 9 March 2027, 08:00' in text
    assert '"Late-night upload", uploaded by Inés Duarte at 9 March 2027, 23:00' in text
    for elsewhere in ("Earlier upload", "Today's upload", "Already approved"):
        assert elsewhere not in text
    review_url = f"/review/{arrived['Morning delivery'].id}"
    assert review_url in text and f'{review_url}"' in mail.html(message)
    assert "4 photos wait in the review queue in all" in text

    mail.messages.clear()
    notify(runner, day + timedelta(days=1))  # Today's upload
    notify(runner, day + timedelta(days=2))  # nothing arrived on the 11th
    mail.deliver()
    subjects = {m["Subject"] for m in mail.messages}
    assert subjects == {"1 new upload to review"} and len(mail.messages) == 2
    assert all("Today's upload" in mail.text(m) for m in mail.messages)


def test_a_curator_who_turned_the_digest_off_gets_none(runner, make_user, make_photo, mail):
    make_user("curator", email="ada@example.org")
    photo = make_photo(uploaded_by=make_user("contributor"))
    choose_mail("ada@example.org", set(OPTIONAL_CATEGORIES) - {MailCategory.DIGEST})
    day = photo.uploaded_at.date() + timedelta(days=1)
    assert "curators daily digest: 0 queued" in notify(runner, day)
