"""People in staff-mail tests answer the EDI questions, so the EDI scan of mail means something."""

import pytest

from archive.extensions import db
from archive.people.edi import edi_attributes, set_answers


@pytest.fixture
def make_answering_person(make_person):
    """Create a person (as make_person does) who answered every EDI question, with words too."""

    def make(name, **kwargs):
        person = make_person(name, **kwargs)
        answers = {
            attribute.id: (attribute.options[0].id, "in my own words: a proud woman")
            for attribute in edi_attributes()
        }
        with db.session.begin_nested():
            set_answers(person, answers, None)
        db.session.commit()
        return person

    return make
