"""Every failed login costs the same work, so timing tells nobody which addresses exist."""

import pytest

from archive.auth import models, services
from archive.extensions import db
from tests.fixtures.app import PASSWORD


@pytest.fixture
def hash_checks(monkeypatch) -> list[str]:
    """Count the password-hash checks, wherever the auth code looks the function up."""
    checks = []

    def counted(original):
        def check(password_hash: str, password: str) -> bool:
            checks.append(password_hash)
            return original(password_hash, password)

        return check

    for module in (models, services):
        monkeypatch.setattr(module, "check_password_hash", counted(module.check_password_hash))
    return checks


@pytest.mark.parametrize("account", ["known", "unknown", "inactive"])
def test_each_failed_login_checks_exactly_one_password_hash(
    client, make_user, hash_checks, account
):
    user = make_user("contributor")
    if account == "inactive":
        user.active = False
        db.session.commit()
    email = "nobody@example.org" if account == "unknown" else user.email
    wrong = PASSWORD if account == "inactive" else "not the password"
    response = client.post("/login", data={"email": email, "password": wrong})
    assert response.status_code == 401
    assert len(hash_checks) == 1


def test_authenticate_returns_the_user_only_for_the_right_password(make_user):
    user = make_user("curator")
    assert services.authenticate(user.email.upper(), PASSWORD) == user
    assert services.authenticate(user.email, "not the password") is None
    assert services.authenticate("nobody@example.org", PASSWORD) is None
    user.active = False
    db.session.commit()
    assert services.authenticate(user.email, PASSWORD) is None
