"""Batch work on search results: one change made to many photos, each decided on its own.

A curator ticks photos in the search results, or takes all that match the search, and adds
tags, sets the licence, adds them to an exhibition or approves them. Every photo goes
through the same service a single change would (photos.services, the queue's approval,
exhibitions.services.add_photos), so each refusal of theirs applies, one photo's refusal
stops none of the others, and each photo changed writes its own audit event.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from archive.auth.access import Action, Viewer, can
from archive.auth.models import User
from archive.catalogue.review_queue import approve_selected
from archive.consent.rules import can_view, has_withdrawn, is_withdrawn
from archive.core.database import many_writes
from archive.core.parameters import Refusal
from archive.exhibitions.models import Exhibition
from archive.exhibitions.services import add_photos, all_exhibitions
from archive.extensions import db
from archive.licences.models import Licence
from archive.licences.services import all_licences
from archive.people.models import Term, Vocabulary
from archive.people.services import terms
from archive.photos.models import Photo, PhotoStatus
from archive.photos.services import add_tags, photos_in_order, set_licence
from archive.search.query import SearchRequest
from archive.search.query_language import SearchRefused
from archive.search.results import shown_photos

# Photos one batch may change: enough for any curated theme, few enough to finish while the
# curator waits (setting a licence writes every derivative again).
BATCH_LIMIT = 1000


class BatchAction(StrEnum):
    """What a batch does to each photo."""

    TAGS = "tags"
    LICENCE = "licence"
    EXHIBITION = "exhibition"
    APPROVE = "approve"


class Result(StrEnum):
    """What became of one photo."""

    DONE = "done"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


class BatchRefused(Refusal):
    """The batch was not run at all (nothing chosen, too many photos…); nothing changed."""


@dataclass(frozen=True)
class Batch:
    """What a curator asked for: the change, and which photos (ticked, or all matching)."""

    action: BatchAction
    photo_ids: list[int] = field(default_factory=list)
    all_matching: SearchRequest | None = None
    term_ids: list[int] = field(default_factory=list)
    licence_id: int = 0
    exhibition_id: int = 0


@dataclass(frozen=True)
class Outcome:
    """One photo's result, with the reason when it was left as it was or refused."""

    photo: Photo
    result: Result
    reason: str = ""


@dataclass(frozen=True)
class BatchReport:
    """What the batch did (`done` says it in words) and to which photos."""

    done: str
    outcomes: list[Outcome]

    def of(self, result: Result | str) -> list[Outcome]:
        """Return the outcomes with this result, in the order the photos were taken."""
        return [outcome for outcome in self.outcomes if outcome.result == result]


@dataclass(frozen=True)
class BatchChoices:
    """What the batch form on the search page offers."""

    job_roles: list[Term]
    departments: list[Term]
    licences: list[Licence]
    exhibitions: list[Exhibition]
    limit: int = BATCH_LIMIT


def batch_choices(user: Viewer) -> BatchChoices | None:
    """Return the batch form's choices for someone who may do batch work, else None."""
    if not can(user, Action.BATCH_EDIT):
        return None
    return BatchChoices(
        terms(Vocabulary.JOB_ROLE),
        terms(Vocabulary.DEPARTMENT),
        all_licences(),
        all_exhibitions(by_title=True),
    )


def run_batch(batch: Batch, curator: User, today: date | None = None) -> BatchReport:
    """Make the change to each chosen photo that may have it; report what became of each.

    Raises BatchRefused, changing nothing, when the change is incomplete, no photo is chosen
    or more than BATCH_LIMIT are.
    """
    today = today or date.today()
    change = _change(batch, curator)
    photos = _chosen_photos(batch, curator)
    with many_writes():
        outcomes = [_decide(photo, change, today) for photo in photos]
    return BatchReport(change.done, outcomes)


@dataclass(frozen=True)
class _Change:
    done: str  # "added department Chemistry", for the report
    apply: Callable[[Photo], Outcome]  # for a photo that may have it


def _change(batch: Batch, curator: User) -> _Change:
    """Check what was asked is complete; return the change to make to each photo."""
    if batch.action == BatchAction.TAGS:
        chosen = [term for term in (_row(Term, i) for i in batch.term_ids) if term is not None]
        if not chosen:
            raise BatchRefused("Choose a job role or a department to add to the photos.")
        named = " and ".join(f"{term.vocabulary.label} {term.label}" for term in chosen)
        return _Change(f"Added {named}", lambda photo: _tag(photo, chosen, curator))
    if batch.action == BatchAction.LICENCE:
        licence = _row(Licence, batch.licence_id)
        if licence is None:
            raise BatchRefused("Choose the licence to put the photos under.")
        return _Change(f"Put under {licence.name}", lambda photo: _license(photo, licence, curator))
    if batch.action == BatchAction.EXHIBITION:
        exhibition = _row(Exhibition, batch.exhibition_id)
        if exhibition is None:
            raise BatchRefused("Choose the exhibition to add the photos to.")
        return _Change(
            f"Added to “{exhibition.title}”", lambda photo: _exhibit(photo, exhibition, curator)
        )
    return _Change("Approved", lambda photo: _approve(photo, curator))


def _row(model, row_id: int):
    """Return the row with this id, None for 0 (nothing chosen) or an id no row has."""
    return db.session.get(model, row_id) if row_id else None


def _chosen_photos(batch: Batch, curator: User) -> list[Photo]:
    """Return the photos ticked, or all the search finds, that the curator may see."""
    if batch.all_matching is not None:
        wanted = SearchRequest(
            text=batch.all_matching.text,
            sort=batch.all_matching.sort,
            filters=batch.all_matching.filters,
            per_page=BATCH_LIMIT,
        )
        try:
            results, photos = shown_photos(wanted, curator)
        except SearchRefused as refused:
            raise BatchRefused(refused.description) from None
        _refuse_above_limit(results.total)
    else:
        ticked = list(dict.fromkeys(batch.photo_ids))
        _refuse_above_limit(len(ticked))
        photos = [photo for photo in photos_in_order(ticked) if can_view(curator, photo)]
    if not photos:
        raise BatchRefused("Tick the photos to change first, or choose all that match.")
    return photos


def _refuse_above_limit(count: int) -> None:
    if count > BATCH_LIMIT:
        raise BatchRefused(
            f"That is {count:,} photos; a batch changes at most {BATCH_LIMIT:,} at a time. "
            "Narrow the search with words or filters and try again. Nothing was changed."
        )


def _decide(photo: Photo, change: _Change, today: date) -> Outcome:
    """Refuse a withdrawn or erased photo whatever the change; else make it."""
    if photo.erased:
        return Outcome(photo, Result.REFUSED, "erased: its files are gone")
    if is_withdrawn(photo, today):
        return Outcome(photo, Result.REFUSED, _why_withdrawn(photo, today))
    return change.apply(photo)


def _why_withdrawn(photo: Photo, today: date) -> str:
    if photo.status == PhotoStatus.WITHDRAWN:
        return "withdrawn: it was taken out of use"
    names = ", ".join(person.name for person in photo.people if has_withdrawn(person, today))
    return f"withdrawn: {names or 'someone shown'} withdrew consent"


def _tag(photo: Photo, chosen: list[Term], curator: User) -> Outcome:
    if add_tags(photo, [term.id for term in chosen], by=curator):
        return Outcome(photo, Result.DONE)
    return Outcome(photo, Result.UNCHANGED, "it had these tags already")


def _license(photo: Photo, licence: Licence, curator: User) -> Outcome:
    if set_licence(photo, licence, by=curator):
        return Outcome(photo, Result.DONE)
    return Outcome(photo, Result.UNCHANGED, "it was under this licence already")


def _exhibit(photo: Photo, exhibition: Exhibition, curator: User) -> Outcome:
    if add_photos(exhibition, [photo.id], by=curator):
        return Outcome(photo, Result.DONE)
    return Outcome(photo, Result.UNCHANGED, "it was in the exhibition already")


def _approve(photo: Photo, curator: User) -> Outcome:
    [approval] = approve_selected([photo.id], curator)
    if approval.approved:
        return Outcome(photo, Result.DONE)
    return Outcome(photo, Result.REFUSED, approval.reason)
