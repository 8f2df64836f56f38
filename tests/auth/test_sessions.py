"""Logging out ends the session everywhere; remember-me is short-lived and revocable."""

from datetime import UTC, datetime, timedelta

from tests.fixtures.app import PASSWORD

CURATORS_ONLY = "/people/"


def log_in(client, email, remember=False):
    data = {"email": email, "password": PASSWORD} | ({"remember": "y"} if remember else {})
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def device_with(app, cookie_name, value):
    """Return a fresh client holding only this one cookie, as another browser would."""
    device = app.test_client()
    device.set_cookie(cookie_name, value)
    return device


def sent_to_login(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_copied_session_cookie_stops_working_after_logout(app, client, make_user):
    log_in(client, make_user("curator").email)
    copied = client.get_cookie("session").value
    assert device_with(app, "session", copied).get(CURATORS_ONLY).status_code == 200
    client.post("/logout")
    assert sent_to_login(device_with(app, "session", copied).get(CURATORS_ONLY))


def test_the_remember_me_cookie_alone_works_until_logout(app, client, make_user):
    log_in(client, make_user("curator").email, remember=True)
    remembered = client.get_cookie("remember_token").value
    assert device_with(app, "remember_token", remembered).get(CURATORS_ONLY).status_code == 200
    client.post("/logout")
    assert sent_to_login(device_with(app, "remember_token", remembered).get(CURATORS_ONLY))


def test_the_remember_me_cookie_lasts_at_most_fourteen_days(client, make_user):
    log_in(client, make_user("contributor").email, remember=True)
    expires = client.get_cookie("remember_token").expires
    assert expires - datetime.now(UTC) <= timedelta(days=14)
