"""No message the archive sent in this run names an EDI question or answer."""

import pytest

from archive.config import PROJECT_ROOT
from archive.people.edi import edi_term_in
from tests.fixtures.mail import DELIVERED_IN_THIS_RUN, Mail

TEMPLATES = sorted(
    path.stem
    for path in (PROJECT_ROOT / "templates" / "mail").glob("*.txt")
    if not path.name.startswith("_")
)


@pytest.mark.after_all_others
def test_no_message_sent_in_this_run_names_an_edi_question_or_answer(app):
    assert DELIVERED_IN_THIS_RUN, "no test before this one delivered any mail"
    named = {
        (message["To"], message["Subject"], term)
        for message in DELIVERED_IN_THIS_RUN
        for part in (message["Subject"], Mail.text(message), Mail.html(message))
        if (term := edi_term_in(part))
    }
    assert named == set()


@pytest.mark.after_all_others
def test_every_kind_of_message_was_sent_by_some_test(request):
    if request.config.args_source is not pytest.Config.ArgsSource.TESTPATHS:
        pytest.skip("only the whole suite sends every kind of message")
    sent = {message["X-Archive-Template"] for message in DELIVERED_IN_THIS_RUN}
    assert set(TEMPLATES) - sent == set(), "no test sends these: the EDI check never read them"
