"""What the consent-mail tests share: people with EDI answers, links read from mail, notify."""

import re
from urllib.parse import urlsplit

from archive.core.database import write_transaction
from archive.extensions import db
from archive.people.edi import edi_attributes, set_answers
from tests.fixtures.mail import Mail

SELF_DESCRIPTION = "Cornish on my mother's side"


def with_address_and_edi(person, email: str):
    """Give the person an address and EDI answers (one a self-description) no mail may carry."""
    attributes = {attribute.key: attribute for attribute in edi_attributes()}
    gender, ethnicity = attributes["gender"], attributes["ethnicity"]
    woman = next(option for option in gender.options if option.label == "Woman")
    with write_transaction():
        person.email = email
        set_answers(
            person,
            {gender.id: (woman.id, ""), ethnicity.id: (None, SELF_DESCRIPTION)},
            actor=None,
        )
    return person


def links_in(message) -> list[str]:
    """Return the paths of the archive's links in a delivered message's plain text."""
    return [urlsplit(url).path for url in re.findall(r"https?://\S+", Mail.text(message))]


def consent_path(message) -> str:
    """Return the path of the personal consent link a delivered message carries."""
    return next(path for path in links_in(message) if path.startswith("/my-consent/"))


def notify(runner, day) -> str:
    """Run `flask notify --day DAY` and return what it printed."""
    result = runner.invoke(args=["notify", "--day", day.isoformat()])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output
