"""The EDI questions, and recording people's own answers to them."""

import re

from sqlalchemy import select

from archive.auth.models import User
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.extensions import db
from archive.people.models import PREFER_NOT_TO_SAY, EdiAttribute, EdiOption, Person, PersonEdi

# Categories follow common UK higher-education monitoring forms; admins can add questions.
DEFAULT_ATTRIBUTES = [
    ("gender", "Gender", ["Woman", "Man", "Non-binary"]),
    (
        "ethnicity",
        "Ethnicity",
        [
            "Asian or Asian British",
            "Black, Black British, Caribbean or African",
            "Mixed or multiple ethnic groups",
            "White",
            "Another ethnic group",
        ],
    ),
    ("disability", "Disability", ["Disabled", "Not disabled"]),
]

# attribute id -> (option id or None, self-description)
Answers = dict[int, tuple[int | None, str]]


def edi_attributes() -> list[EdiAttribute]:
    """Return the EDI questions in the order they are asked."""
    query = select(EdiAttribute).order_by(EdiAttribute.position, EdiAttribute.id)
    return list(db.session.execute(query).scalars())


def edi_term_in(text: str) -> str | None:
    """Return the words of the text that name an EDI question or answer ("women"), or None.

    Answers count by their parts ("Asian or Asian British" as "Asian" and "Asian British"),
    in the singular or plural; "Prefer not to say" names nothing.
    """
    for term in _edi_terms():
        found = _term_pattern(term).search(text)
        if found:
            return found.group(0)
    return None


def _edi_terms() -> list[str]:
    labels = []
    for attribute in edi_attributes():
        labels.append(attribute.label)
        labels += [
            option.label for option in attribute.options if option.label != PREFER_NOT_TO_SAY
        ]
    parts = (re.split(r",|\s+or\s+", label) for label in labels)
    return [part.strip() for pieces in parts for part in pieces if part.strip()]


def _term_pattern(term: str) -> re.Pattern:
    *words, last = term.split()
    pattern = r"\s+".join([*map(re.escape, words), _singular_or_plural(last)])
    return re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE)


def _singular_or_plural(word: str) -> str:
    stem = re.escape(word)
    if word.lower().endswith("man"):
        return stem[:-3] + "m[ae]n"  # woman, women; man, men
    if word.lower().endswith("y"):
        return stem[:-1] + "(?:y|ies)"  # disability, disabilities
    return stem + "(?:e?s)?"


class EdiQuestionError(Exception):
    """An EDI question cannot be added as asked; the message says why."""


def add_attribute(key: str, label: str, option_labels: list[str]) -> EdiAttribute:
    """Add an EDI question with its answers; "Prefer not to say" is always offered last."""
    attribute = _attribute(key, label, option_labels)
    with write_transaction():
        db.session.add(attribute)
    return attribute


def add_edi_question(label: str, option_labels: list[str], *, by: User | None) -> EdiAttribute:
    """Add a question an admin wrote, keyed by its label; audited.

    Raises EdiQuestionError when it has no answer or a question of that key exists.
    """
    label = label.strip()
    if not label or not any(text.strip() for text in option_labels):
        raise EdiQuestionError("give the question and at least one answer, one per line")
    key = "".join(ch if ch.isalnum() else "_" for ch in label.lower()).strip("_")[:40]
    if key in {attribute.key for attribute in edi_attributes()}:
        raise EdiQuestionError(f"there is already a question called {label}")
    attribute = _attribute(key, label, option_labels)
    with write_transaction():
        db.session.add(attribute)
        db.session.flush()  # the audit event names the new question's id
        record_event(by, "edi_question.added", "edi_attribute", attribute.id, key)
    return attribute


def _attribute(key: str, label: str, option_labels: list[str]) -> EdiAttribute:
    labels = [text.strip() for text in option_labels if text.strip()]
    labels = [text for text in labels if text != PREFER_NOT_TO_SAY] + [PREFER_NOT_TO_SAY]
    return EdiAttribute(
        key=key,
        label=label,
        position=len(edi_attributes()),
        options=[EdiOption(label=text, position=index) for index, text in enumerate(labels)],
    )


def ensure_default_attributes() -> int:
    """Add the default EDI questions that are missing; return how many were added."""
    existing = {attribute.key for attribute in edi_attributes()}
    missing = [item for item in DEFAULT_ATTRIBUTES if item[0] not in existing]
    for key, label, options in missing:
        add_attribute(key, label, options)
    return len(missing)


def set_answers(person: Person, answers: Answers, actor: User | None) -> bool:
    """Replace the person's EDI answers; audit that they changed (never what they are).

    Must run inside a write transaction. Returns whether anything changed.
    """
    before = {a.attribute_id: (a.option_id, a.self_description) for a in person.edi}
    wanted = {
        attribute_id: (option_id or None, text.strip())
        for attribute_id, (option_id, text) in answers.items()
        if option_id or text.strip()
    }
    if wanted == before:
        return False
    current = {answer.attribute_id: answer for answer in person.edi}
    for attribute_id, answer in current.items():
        if attribute_id not in wanted:
            person.edi.remove(answer)
    for attribute_id, (option_id, text) in wanted.items():
        answer = current.get(attribute_id)
        if answer is None:
            answer = PersonEdi(attribute_id=attribute_id)
            person.edi.append(answer)
        answer.option_id, answer.self_description = option_id, text
    record_event(actor, "person.edi_edited", "person", person.id)
    return True
