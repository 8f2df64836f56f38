"""Logging in and out, role guards, the user admin pages and the session cookie."""

import re

import pytest

from archive.auth.models import Role, User
from archive.extensions import db
from tests.fixtures.app import PASSWORD


def log_in(client, email, password=PASSWORD, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password})


def test_logging_in_and_out(client, make_user):
    user = make_user("contributor")
    response = log_in(client, user.email.upper())  # addresses are case-insensitive
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert f"Log out {user.name}" in client.get("/").get_data(as_text=True)
    assert client.get("/logout").status_code == 405  # a link elsewhere cannot log anyone out
    client.post("/logout")
    assert client.get("/my-uploads").status_code == 302


@pytest.mark.parametrize("email", ["nobody@example.org", "known"])
def test_a_wrong_login_gets_one_message_that_reveals_nothing(client, make_user, email):
    user = make_user("contributor")
    response = log_in(client, user.email if email == "known" else email, "wrong password!")
    assert response.status_code == 401
    assert "do not match an account" in response.get_data(as_text=True)


def test_a_disabled_account_cannot_log_in(client, make_user):
    user = make_user("comms")
    user.active = False
    db.session.commit()
    assert log_in(client, user.email).status_code == 401


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/my-uploads", "/my-uploads"),
        ("https://evil.example/phish", "/"),
        ("//evil.example/phish", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_login_only_follows_next_within_the_site(client, make_user, next_url, lands_on):
    user = make_user("contributor")
    assert log_in(client, user.email, next_url=next_url).headers["Location"] == lands_on


def test_the_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user("contributor")
    cookie = log_in(client, user.email).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_forms_without_a_csrf_token_are_refused(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user("contributor")
    response = log_in(client, user.email)
    assert response.status_code == 400
    assert "The form has expired or was not sent from this site" in response.get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page


def test_an_admin_adds_a_user_and_changes_their_role(client, login_as):
    login_as("admin")
    weak = client.post(
        "/admin/users",
        data={"email": "new@example.org", "name": "New", "role": "comms", "password": "short"},
    )
    assert weak.status_code == 422
    assert "at least 10 characters" in weak.get_data(as_text=True)
    same = client.post(
        "/admin/users",
        data={
            "email": "new@example.org",
            "name": "New",
            "role": "comms",
            "password": "new@example.org",
        },
    )
    assert "must not be the e-mail address" in same.get_data(as_text=True)
    added = client.post(
        "/admin/users",
        data={"email": "new@example.org", "name": "New", "role": "comms", "password": PASSWORD},
    )
    assert added.status_code == 302
    user = User.query.filter_by(email="new@example.org").one()
    assert user.role == Role.COMMS and user.password_hash != PASSWORD
    taken = client.post(
        "/admin/users",
        data={"email": "NEW@example.org", "name": "Again", "role": "comms", "password": PASSWORD},
    )
    assert "There is already an account for NEW@example.org" in taken.get_data(as_text=True)
    client.post(f"/admin/users/{user.id}", data={"role": "curator", "active": "y"})
    assert db.session.get(User, user.id).role == Role.CURATOR


def test_an_admin_cannot_remove_their_own_admin_access(client, login_as):
    admin = login_as("admin")
    response = client.post(f"/admin/users/{admin.id}", data={"role": "comms", "active": "y"})
    assert response.status_code == 422
    assert db.session.get(User, admin.id).role == Role.ADMIN


@pytest.mark.parametrize("role", ["contributor", "curator", "comms"])
def test_only_admins_manage_users(client, login_as, role):
    user = login_as(role)
    assert client.get("/admin/users").status_code == 403
    assert client.post(f"/admin/users/{user.id}", data={"role": "admin"}).status_code == 403
    assert db.session.get(User, user.id).role == Role(role)


def test_create_user_command(runner):
    result = runner.invoke(
        args=["create-user", "ops@example.org", "--role", "admin", "--password-stdin"],
        input=f"{PASSWORD}\n",
    )
    assert result.exit_code == 0 and "Added ops@example.org as admin." in result.output
    again = runner.invoke(
        args=["create-user", "ops@example.org", "--role", "admin", "--password-stdin"],
        input=f"{PASSWORD}\n",
    )
    assert again.exit_code == 1 and "there is already an account" in again.output


def test_a_role_change_logs_the_user_out_everywhere(app, client, make_user):
    user = make_user("curator")
    other_device = app.test_client()
    for device in (client, other_device):
        assert log_in(device, user.email).status_code == 302
        assert device.get("/review").status_code == 200
    from archive.auth.services import update_user

    update_user(user, role=Role.COMMS, active=True)
    for device in (client, other_device):
        response = device.get("/downloads")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert log_in(client, user.email).status_code == 302
    assert client.get("/downloads").status_code == 200  # a fresh login carries the new role


def test_a_session_id_from_another_version_or_a_forged_one_is_refused(make_user):
    from archive.auth.services import user_for_session

    user = make_user("admin")
    assert user_for_session(user.get_id()) == user
    for forged in (str(user.id), f"{user.id}.9", "x.0", "", f"{user.id}.0.1"):
        assert user_for_session(forged) is None


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("short", "at least 10 characters"),
        ("new@example.org", "must not be the e-mail address"),
        ("Password123", "too easy to guess"),
        ("aaaaaaaaaaaa", "too easy to guess"),
        ("qwertyuiop", "too easy to guess"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, says, app):
    from archive.auth.services import AccountError, create_user

    with pytest.raises(AccountError, match=says):
        create_user("new@example.org", password, Role.COMMS)


def test_changing_the_password_ends_every_session(app, client, make_user):
    user = make_user("comms")
    other_device = app.test_client()
    for device in (client, other_device):
        log_in(device, user.email)
    wrong = client.post("/account/password", data={"current": "nope", "new": "a fresh long phrase"})
    assert wrong.status_code == 422
    assert "The current password is not right" in wrong.get_data(as_text=True)
    weak = client.post("/account/password", data={"current": PASSWORD, "new": "password123"})
    assert "too easy to guess" in weak.get_data(as_text=True)
    changed = client.post(
        "/account/password", data={"current": PASSWORD, "new": "a fresh long phrase"}
    )
    assert changed.status_code == 302 and changed.headers["Location"] == "/login"
    for device in (client, other_device):
        assert device.get("/downloads").status_code == 302  # logged out everywhere
    assert log_in(client, user.email, "a fresh long phrase").status_code == 302
    assert client.get("/downloads").status_code == 200


@pytest.mark.parametrize(
    ("url", "field", "token"),
    [
        ("/login", "email", "username"),
        ("/login", "password", "current-password"),
        ("/account/password", "current", "current-password"),
        ("/account/password", "new", "new-password"),
    ],
)
def test_password_forms_tell_the_browser_what_each_field_holds(client, login_as, url, field, token):
    if url != "/login":
        login_as("contributor")
    html = client.get(url).get_data(as_text=True)
    tag = re.search(rf'<input[^>]*\bid="{field}"[^>]*>', html).group(0)
    assert f'autocomplete="{token}"' in tag  # WCAG 1.3.5: browsers fill it for the person


def test_the_accessibility_statement_is_linked_from_every_page_and_names_its_contact(app, client):
    html = client.get("/accessibility").get_data(as_text=True)
    for heading in (
        "Accessibility statement for Technicians&#39; Archive",
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Compliance status",
        "What we're doing to improve accessibility",
        "Preparation of this accessibility statement",
    ):
        assert f">{heading}</h" in html
    assert "IT service desk" in html and "mailto:" not in html  # no address configured
    assert "last reviewed on 3 December 2026" in html
    app.config["ACCESSIBILITY_CONTACT"] = "access@example.ac.uk"
    html = client.get("/login").get_data(as_text=True)
    assert '<a href="/accessibility">Accessibility statement</a>' in html
    assert 'href="mailto:access@example.ac.uk"' in client.get("/accessibility").get_data(
        as_text=True
    )
