"""The password rules: long enough, not the e-mail address, hard to guess."""

import pytest

from archive.auth.models import Role
from archive.auth.services import AccountError, create_user


@pytest.mark.parametrize("password", ["Password123!", "welcome1234", "qwertyuiop1", "Summer2026!"])
def test_common_patterns_are_refused_as_too_easy_to_guess(app, password):
    with pytest.raises(AccountError, match="too easy to guess"):
        create_user("new@example.org", password, Role.COMMS)


def test_a_refusal_passes_on_the_estimators_advice(app):
    with pytest.raises(AccountError, match="Add another word or two"):
        create_user("new@example.org", "welcome1234", Role.COMMS)


def test_a_password_made_of_the_address_is_refused(app):
    with pytest.raises(AccountError, match="too easy to guess"):
        create_user("marguerite.okonkwo@example.org", "Marguerite.Okonkwo1", Role.COMMS)


@pytest.mark.parametrize("password", ["brisk otter lantern quarry", "tq8-Vr2m-Lp9z"])
def test_a_long_passphrase_or_a_random_one_is_accepted(app, password):
    assert create_user("new@example.org", password, Role.COMMS).check_password(password)


def test_a_password_longer_than_the_estimator_reads_is_still_judged(app):
    password = "brisk otter lantern quarry " * 6  # 162 characters: the form allows 200
    assert create_user("new@example.org", password, Role.COMMS).check_password(password)
