"""Building, checking and publishing exhibitions: details, photos added, smart-rule proposals."""

import re
import secrets
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from archive.auth.models import User
from archive.consent.rules import Decision, allowed_everywhere
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.exhibitions.consent import consent_problems, item_label, needed_scopes
from archive.exhibitions.introduction import check_introduction
from archive.exhibitions.models import (
    Exhibition,
    ExhibitionItem,
    ExhibitionStatus,
    ExhibitionUse,
    Showing,
    Visibility,
)
from archive.extensions import db
from archive.people.models import Person
from archive.photos.models import Photo
from archive.search.query import SearchRequest, search
from archive.search.query_language import SearchRefused


class ExhibitionError(Exception):
    """An exhibition cannot be changed as asked; the message says why."""


class PublishRefused(ExhibitionError):
    """Publishing was refused; `problems` lists what to fix, item by item."""

    def __init__(self, problems: list[str]):
        super().__init__("this exhibition cannot be published yet")
        self.problems = problems


def slugify(title: str) -> str:
    """Return a URL slug for a title."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80] or "exhibition"


def exhibition_by_slug(slug: str) -> Exhibition | None:
    """Return the exhibition with this slug, its items and photos loaded."""
    query = (
        select(Exhibition)
        .filter_by(slug=slug)
        .options(
            selectinload(Exhibition.items)
            .selectinload(ExhibitionItem.photo)
            .selectinload(Photo.people)
            .selectinload(Person.consent_forms),
            selectinload(Exhibition.items)
            .selectinload(ExhibitionItem.photo)
            .selectinload(Photo.derivatives),
            selectinload(Exhibition.items)
            .selectinload(ExhibitionItem.photo)
            .selectinload(Photo.licence),
            selectinload(Exhibition.items)
            .selectinload(ExhibitionItem.photo)
            .selectinload(Photo.tags),
        )
    )
    return db.session.execute(query).scalar_one_or_none()


def create_exhibition(
    *,
    title: str,
    summary: str,
    body: str,
    visibility: Visibility,
    by: User,
    slug: str = "",
    smart_rule: str = "",
    use: ExhibitionUse = ExhibitionUse.WEB,
    about_identity: bool = False,
    language: str = "",
) -> Exhibition:
    """Create a draft exhibition; the slug defaults to one made from the title.

    language is the BCP 47 tag of its texts' language, "" when not set.

    Raises IntroductionRefused when the introduction cannot be saved as written.
    """
    slug = slugify(slug or title)
    taken = db.session.execute(select(func.count()).where(Exhibition.slug == slug)).scalar()
    if taken:
        raise ExhibitionError(f"the address /exhibitions/{slug} is taken; choose another slug")
    exhibition = Exhibition(
        slug=slug,
        title=title.strip(),
        summary=summary.strip(),
        visibility=visibility,
        use=use,
        about_identity=about_identity,
        language=language,
        smart_rule=smart_rule.strip(),
        secret=secrets.token_urlsafe(16),
        created_by_id=by.id,
    )
    set_introduction(exhibition, body)
    with write_transaction():
        db.session.add(exhibition)
        db.session.flush()  # the audit event names the new exhibition's id
        record_event(by, "exhibition.created", "exhibition", exhibition.id, detail=slug)
    return exhibition


def all_exhibitions(*, by_title: bool = False) -> list[Exhibition]:
    """Return every exhibition, newest first (or by title, for choosing one from a list)."""
    key = Exhibition.title if by_title else Exhibition.id.desc()
    return list(db.session.execute(select(Exhibition).order_by(key)).scalars())


def update_details(exhibition: Exhibition, *, by: User | None = None, **details) -> None:
    """Save the details create_exhibition takes (but the slug): texts, language, visibility…

    Raises IntroductionRefused, changing nothing, when the introduction cannot be saved.
    """
    with write_transaction():
        if "body" in details:
            set_introduction(exhibition, details.pop("body"))
        for name, value in details.items():
            setattr(exhibition, name, value.strip() if name in _TRIMMED else value)
        record_event(by, "exhibition.updated", "exhibition", exhibition.id)


_TRIMMED = ("title", "summary", "smart_rule")


def set_introduction(exhibition: Exhibition, body: str) -> None:
    """Give the exhibition this introduction (its HTML follows); the caller commits.

    Raises IntroductionRefused, changing nothing, when it cannot be saved as written.
    """
    check_introduction(body, current_app.config["INTRODUCTION_MAX_CHARS"])
    exhibition.body = body


def add_photos(exhibition: Exhibition, photo_ids: list[int], *, by: User | None = None) -> int:
    """Append photos not already in the exhibition (nor erased); return how many were added.

    Audited when something was added; adding nothing changes nothing.
    """
    present = {item.photo_id for item in exhibition.items}
    position = max((item.position for item in exhibition.items), default=-1)
    added = 0
    with write_transaction():
        for photo_id in photo_ids:
            photo = db.session.get(Photo, photo_id)
            if photo_id in present or photo is None or photo.erased:
                continue
            position += 1
            exhibition.items.append(ExhibitionItem(photo_id=photo_id, position=position))
            present.add(photo_id)
            added += 1
        if added:
            record_event(by, "exhibition.items_added", "exhibition", exhibition.id, f"{added}")
    return added


@dataclass(frozen=True)
class Candidate:
    """A photo the smart rule proposes: new since the last look? could the gallery show it?

    The decision's reason names who lacks which consent.
    """

    photo: Photo
    new: bool
    decision: Decision


@dataclass(frozen=True)
class Proposals:
    """What the smart rule proposes, or why the archive would not run it."""

    candidates: list[Candidate]
    refused: str = ""


def propose(exhibition: Exhibition, role) -> Proposals:
    """Return what the smart rule finds that is not in the exhibition yet, new ones first.

    "New" means approved since a curator last looked; looking now is remembered. A rule
    too broad to run proposes nothing and says why, for the curator to narrow it.
    """
    if not exhibition.smart_rule:
        return Proposals([])
    try:
        results = search(SearchRequest(exhibition.smart_rule, per_page=96), role)
    except SearchRefused as refused:
        return Proposals([], refused=f"The smart rule was not run. {refused.description}")
    present = {item.photo_id for item in exhibition.items}
    wanted = [photo_id for photo_id in results.photo_ids if photo_id not in present]
    photos = {
        photo.id: photo
        for photo in db.session.execute(select(Photo).where(Photo.id.in_(wanted))).scalars()
    }
    seen = exhibition.rule_seen_at
    scopes = needed_scopes(exhibition)
    found = [
        Candidate(
            photo,
            seen is None or (photo.reviewed_at or photo.uploaded_at) > seen,
            allowed_everywhere(photo, scopes),
        )
        for photo in (photos[i] for i in wanted if i in photos)
    ]
    with write_transaction():
        exhibition.rule_seen_at = func.now()
    return Proposals(sorted(found, key=lambda candidate: not candidate.new))


def problems_with(exhibition: Exhibition, today: date | None = None) -> list[str]:
    """Return what stops the exhibition being published: missing alt text, missing consent."""
    problems = [] if exhibition.items else ["The exhibition has no photos."]
    problems += [
        f"{item_label(number, item)} has no alt text."
        for number, item in enumerate(exhibition.items, start=1)
        if not item.shown_alt_text.strip()
    ]
    return problems + consent_problems(exhibition, Showing.ONLINE, today)


def publish(exhibition: Exhibition, by: User | None = None) -> None:
    """Publish the exhibition (audited as done by `by`), or raise PublishRefused listing fixes."""
    problems = problems_with(exhibition)
    if problems:
        raise PublishRefused(problems)
    with write_transaction():
        exhibition.status = ExhibitionStatus.PUBLISHED
        exhibition.published_at = func.now()
        record_event(by, "exhibition.published", "exhibition", exhibition.id)


def unpublish(exhibition: Exhibition, by: User | None = None) -> None:
    """Take the exhibition back to a draft, off every public page, audited as `by`'s doing."""
    if exhibition.status != ExhibitionStatus.PUBLISHED:
        raise ExhibitionError("this exhibition is not published")
    with write_transaction():
        exhibition.status = ExhibitionStatus.DRAFT
        record_event(by, "exhibition.unpublished", "exhibition", exhibition.id)


def rotate_key(exhibition: Exhibition, by: User | None = None) -> None:
    """Give the exhibition a new secret key, audited: links with the old one stop working.

    The change counts as any edit does, so no visitor's kept page still answers the old key.
    """
    with write_transaction():
        exhibition.secret = secrets.token_urlsafe(16)
        record_event(by, "exhibition.key_rotated", "exhibition", exhibition.id)
