"""Loading the demo collection: believable people, consent forms, photos and logins.

Everything goes through the same services as real use (ingest, consent recording,
review), so the demo also exercises the pipeline end to end. Loading twice adds nothing.
"""

import random
import secrets
import tempfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from archive.auth.models import Role, User
from archive.auth.services import create_user, find_user_by_email
from archive.consent.intake import add_signed_form, withdraw_consent
from archive.consent.models import ConsentScope
from archive.core.database import write_transaction
from archive.core.intake import RejectedUpload
from archive.core.spooling import upload_tmp_root
from archive.demo.data import (
    CAMERAS,
    CAMPUS,
    DEMO_EDI,
    DEMO_EXHIBITIONS,
    DEMO_INTRODUCTIONS,
    DEMO_PEOPLE,
    DEMO_SCENES,
    DEMO_USERS,
    EQUIPMENT_SCENES,
    LICENCE_MIX,
    SIZES,
)
from archive.demo.pictures import consent_form_pdf, make_scene, save_photo
from archive.exhibitions.services import add_photos, create_exhibition, propose, publish
from archive.extensions import db
from archive.licences.services import licence_by_code
from archive.people.edi import edi_attributes, set_answers
from archive.people.models import Person, Term, Vocabulary
from archive.photos.file_boundary import one_file
from archive.photos.ingest import PhotoDetails, ingest_file
from archive.photos.services import approve, reject


def load_demo(echo: Callable[[str], None] = print, photo_count: int = 60) -> None:
    """Load the demo collection into an initialised database and print the demo logins."""
    logins = Path(current_app.instance_path) / "demo-logins.txt"
    if db.session.execute(select(Person).filter_by(name=DEMO_PEOPLE[0][0])).first():
        echo("The demo collection is already loaded.")
        if logins.exists():
            echo(logins.read_text())
        return
    rng = random.Random(20261123)
    lines = _demo_users()
    logins.write_text("\n".join(lines) + "\n")
    logins.chmod(0o600)
    users = {email: find_user_by_email(email) for email, _, _ in DEMO_USERS}
    people = _demo_people()
    with tempfile.TemporaryDirectory(dir=upload_tmp_root()) as workdir:
        _demo_consents(people, Path(workdir), users["curator@example.org"], rng)
        made = _demo_photos(people, Path(workdir), users, rng, photo_count, echo)
        made += _camera_samples(users["technician@example.org"], echo)
    _demo_exhibitions(users["curator@example.org"], echo)
    echo(f"Loaded {len(people)} people and {made} photos.")
    echo("Demo logins (also in instance/demo-logins.txt):")
    for line in lines:
        echo(f"  {line}")


def _demo_users() -> list[str]:
    lines = []
    for email, name, role in DEMO_USERS:
        if find_user_by_email(email) is None:
            password = secrets.token_urlsafe(12)
            create_user(email, password, role, name)
            lines.append(f"{role.value:<12} {email:<26} {password}")
    return lines


def _demo_people() -> list[Person]:
    terms = {(t.vocabulary, t.label): t for t in db.session.execute(select(Term)).scalars()}
    people = [
        Person(
            name=name,
            job_role=terms[(Vocabulary.JOB_ROLE, role)],
            department=terms[(Vocabulary.DEPARTMENT, department)],
        )
        for name, role, department in DEMO_PEOPLE
    ]
    questions = {attribute.key: attribute for attribute in edi_attributes()}
    with write_transaction():
        db.session.add_all(people)
        db.session.flush()
        for person in people:
            given = DEMO_EDI.get(person.name)
            if given is None:
                continue  # some people never answer: that is their right
            answers = {}
            for key, label in zip(("gender", "ethnicity", "disability"), given, strict=True):
                if label:
                    attribute = questions[key]
                    option = next(o for o in attribute.options if o.label == label)
                    answers[attribute.id] = (option.id, "")
            set_answers(person, answers, actor=None)
    return people


def _demo_consents(people: list[Person], workdir: Path, curator: User, rng: random.Random) -> None:
    """Give most people a consent form; vary scopes, expiry and withdrawal believably."""
    today = date.today()
    for index, person in enumerate(people):
        if index == len(people) - 1:
            continue  # one person has not returned a form yet
        path = consent_form_pdf(person, workdir / f"consent-{index}.pdf")
        scopes = set(ConsentScope)
        if index % 5 == 3:
            scopes = {ConsentScope.INTERNAL, ConsentScope.EXHIBITION}
        elif index % 4 == 1:
            scopes.discard(ConsentScope.IDENTITY)  # an older form, from before it was asked
        signed_on = today - timedelta(days=rng.randint(60, 900))
        expires_on = signed_on + timedelta(days=365 * 3)
        if index == 4:
            expires_on = today + timedelta(days=12)  # expiring soon
        elif index == 7:
            expires_on = today - timedelta(days=20)  # expired
        if expires_on <= today + timedelta(days=30) and index not in (4, 7):
            expires_on = today + timedelta(days=400)
        form = add_signed_form(
            person,
            path,
            f"consent-{person.name.lower().replace(' ', '-')}.pdf",
            scopes=scopes,
            signed_on=signed_on,
            expires_on=expires_on,
            by=curator,
        )
        if index == 10:
            withdraw_consent(
                form,
                by=curator,
                on=today - timedelta(days=3),
                reason="Changed jobs and asked to be removed from public use.",
            )


def _demo_photos(people, workdir: Path, users: dict, rng: random.Random, count: int, echo) -> int:
    curator = users["curator@example.org"]
    uploaders = [users["technician@example.org"], users["apprentice@example.org"]]
    made = 0
    for index in range(count):
        equipment = index % 6 == 5
        shown = [] if equipment else rng.sample(people, k=rng.choice((1, 1, 1, 2, 3)))
        if equipment:
            language, title, caption, alt = rng.choice(EQUIPMENT_SCENES)
        else:
            language, title, caption, alt = rng.choice(DEMO_SCENES)
            caption = caption.format(name=shown[0].name)
        width, height = rng.choice(SIZES)
        orientation = {3: 6, 10: 8, 17: 3, 24: 6, 31: 8}.get(index, 1)
        path = save_photo(
            make_scene(width, height, seed=index),
            workdir / f"demo-{index:03d}.jpg",
            orientation=orientation,
            taken_at=datetime(2019 + index % 7, 1 + index % 12, 1 + index % 27, 9 + index % 8, 15),
            camera=rng.choice(CAMERAS),
            gps=(
                CAMPUS[0] + rng.uniform(-0.01, 0.01),
                CAMPUS[1] + rng.uniform(-0.01, 0.01),
            )
            if index % 5 == 0
            else None,
        )
        licence = licence_by_code(rng.choice(LICENCE_MIX))
        outcome = ingest_file(
            path,
            PhotoDetails(
                title=title,
                caption=caption,
                alt_text=alt,
                language=language,
                photographer=rng.choice(("Jo Whitfield", "Sam Okoye", "Technical Services")),
                licence_id=licence.id,
                people=shown,
                no_identifiable_people=equipment,
            ),
            original_filename=f"IMG_{4100 + index}.JPG",
            uploaded_by=uploaders[index % 2],
        )
        photo = outcome.photo
        made += 1
        if index % 10 == 7:
            continue  # left pending, for the review queue
        if index % 17 == 5:
            reject(
                photo,
                curator,
                reason="Out of focus; please send a sharper picture if you have one.",
            )
            continue
        tags = [t.id for person in shown for t in (person.job_role, person.department)]
        approve(photo, curator, tag_ids=sorted(set(tags)), licence_id=licence.id)
    return made


def _camera_samples(uploader: User, echo) -> int:
    """Add the real camera files from shared/samples, when present, left pending for review."""
    root = Path(current_app.config["SAMPLES_PATH"])
    if not root.is_dir():
        echo(f"No camera samples at {root}; skipped them.")
        return 0
    made = 0
    for path in sorted(root.rglob("*.jpg")):
        try:
            with one_file(path.name):
                ingest_file(
                    path,
                    PhotoDetails(
                        title=f"Camera sample {path.stem.replace('_', ' ')}",
                        alt_text="A sample photograph from a real camera, kept to test the archive.",
                        language="en",
                        photographer="exif-samples contributors",
                        no_identifiable_people=True,
                    ),
                    original_filename=path.name,
                    uploaded_by=uploader,
                )
            made += 1
        except RejectedUpload as error:
            echo(f"Camera sample {path.name} was refused: {error}")
    return made


def _demo_exhibitions(curator: User, echo) -> None:
    """Build the demo exhibitions from smart rules, keeping only what may be shown."""
    for language, title, slug, summary, rule, visibility in DEMO_EXHIBITIONS:
        exhibition = create_exhibition(
            title=title,
            slug=slug,
            language=language,
            summary=summary,
            body=DEMO_INTRODUCTIONS[language],
            visibility=visibility,
            smart_rule=rule,
            by=curator,
        )
        usable = [
            candidate.photo.id
            for candidate in propose(exhibition, Role.CURATOR).candidates
            if candidate.photo.alt_text and candidate.decision.allowed
        ][:12]
        add_photos(exhibition, usable)
        if usable:
            publish(exhibition)
        echo(f"Exhibition {title!r}: {len(usable)} photos, {exhibition.status.value}.")
