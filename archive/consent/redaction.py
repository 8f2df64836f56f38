"""Taking an erased person's name out of every column that may name people.

The models mark those columns (`may_name_people`): titles, captions, alt text,
introductions and file names get a neutral wording instead of the name; an address or a
saved search is left as it is, so that nothing breaks, and reported to the admin.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import inspect, select

from archive.auth.models import User
from archive.core.audit import record_event
from archive.core.database import NameUse, columns_naming_people
from archive.extensions import db

NAME_REMOVED = "[name removed]"
# In a file name: no spaces or brackets, which downloads and scripts handle badly.
FILE_NAME_REMOVED = "name-removed"
# A whole word: no letter or digit either side. Not \b, which takes "_" for part of a word
# and so would miss the name in "Rhys_Morgan.pdf".
_START, _END = r"(?<![^\W_])", r"(?![^\W_])"
# Between the words of a name: spaces in prose, "_", "-" or "." in a file name, or nothing.
_BETWEEN = r"[\W_]*"


def _words(name: str) -> list[str]:
    return [word for word in (part.strip(".,;:()\"'") for part in name.split()) if word]


class NameRedaction:
    """One person's name as it may be written: in full, and the parts of it nobody else has.

    The full name is matched in any case. A given or family name on its own is matched
    only if it is capitalised (in prose: "Grace", not "grace"; "Mason", not the trade) and
    no one else in the archive has it; lower-case particles ("van", "de") never are.
    """

    def __init__(self, name: str, other_names: Iterable[str]):
        words = _words(name)
        taken = {word.casefold() for other in other_names for word in _words(other)}
        parts = [word for word in words if len(word) > 1 and word[0].isupper()]
        if len(words) < 2:
            parts = []  # the full name already
        #: Parts left where they stand alone, since someone else has them too.
        self.shared_parts = [word for word in parts if word.casefold() in taken]
        parts = [word for word in parts if word.casefold() not in taken]
        full = _BETWEEN.join(map(re.escape, words))
        self._prose = _whole_words([f"(?i:{full})", *map(_capitalised, parts)]) if words else None
        self._file_name = (
            _whole_words([full, *map(re.escape, parts)], re.IGNORECASE) if words else None
        )

    def in_text(self, text: str, use: NameUse = NameUse.PROSE) -> str:
        """Return the text with the name replaced as `use` asks (KEPT: not replaced)."""
        if self._prose is None or not text or use is NameUse.KEPT:
            return text
        if use is NameUse.FILE_NAME:
            return self._file_name.sub(FILE_NAME_REMOVED, text)
        return self._prose.sub(NAME_REMOVED, text)

    def names(self, text: str) -> bool:
        """Return whether the text holds the name, in any case, as a file name or address may."""
        return self._file_name is not None and bool(text) and bool(self._file_name.search(text))


def _capitalised(word: str) -> str:
    """Return a pattern matching the word with its first letter upper case, the rest any case."""
    return f"{re.escape(word[0])}(?i:{re.escape(word[1:])})"


def _whole_words(alternatives: list[str], flags: int = 0) -> re.Pattern:
    # The full name comes first, so it is replaced as one rather than word by word.
    return re.compile(f"{_START}(?:{'|'.join(alternatives)}){_END}", flags)


@dataclass(frozen=True)
class Redacted:
    """A record that named the erased person, and what became of each column that did."""

    record: str  # what it is, in words: "photo", "exhibition item"…
    record_id: int
    changed: tuple[str, ...]  # where the name was replaced: "title", "file name"…
    kept: tuple[str, ...] = ()  # where it is still, left so nothing breaks: "slug"…

    @property
    def label(self) -> str:
        """Return the record as a person names it: "Photo 12"."""
        return f"{self.record.capitalize()} {self.record_id}"


def redact_name(redaction: NameRedaction, *, by: User | None) -> list[Redacted]:
    """Replace the name in every column that may name people; record each change in the log.

    Call inside the erasure's write transaction. Each record changed gets an audit event
    listing its fields, never the name.
    """
    found: list[Redacted] = []
    for mapper in db.Model.registry.mappers:
        columns = columns_naming_people(mapper.class_)
        if columns:
            found += _redact_model(mapper.class_, columns, redaction)
    for record in found:
        if record.changed:
            kind = record.record.replace(" ", "_")
            record_event(by, f"{kind}.redacted", kind, record.record_id, ", ".join(record.changed))
    return sorted(found, key=lambda record: (record.record, record.record_id))


def _redact_model(model: type, columns: dict[str, NameUse], redaction) -> list[Redacted]:
    # Read as plain rows and matched here, not with SQL's lower() LIKE: that folds only
    # ASCII on SQLite (and on PostgreSQL under the C locale), and would miss "SIÂN".
    [key] = inspect(model).primary_key
    query = select(key, *(getattr(model, name) for name in columns))
    found = []
    # All read before any is changed: the changes flush while records are looked up.
    for record_id, *texts in db.session.execute(query).all():
        values = dict(zip(columns, texts, strict=True))
        kept = [
            name
            for name in columns
            if columns[name] is NameUse.KEPT and redaction.names(values[name])
        ]
        changed = {
            name: redacted
            for name, use in columns.items()
            if (redacted := redaction.in_text(values[name], use)) != values[name]
        }
        if not (changed or kept):
            continue
        record = db.session.get(model, record_id)
        for name, redacted in changed.items():
            setattr(record, name, redacted)
        found.append(
            Redacted(_in_words(model), record_id, _labels(changed, columns), _labels(kept, columns))
        )
    return found


def _in_words(model: type) -> str:
    """Return "exhibition item" for ExhibitionItem."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()


def _labels(names: Iterable[str], columns: dict[str, NameUse]) -> tuple[str, ...]:
    return tuple(
        "file name" if columns[name] is NameUse.FILE_NAME else name.replace("_", " ")
        for name in names
    )
