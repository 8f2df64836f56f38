"""Signing in through a real OpenID Connect provider (oidc-provider under Node, on 127.0.0.1)."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from sqlalchemy import select

from archive.auth.models import Role, User
from archive.extensions import db
from tests.e2e.test_accessibility import signed_in_page, violations


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def archive(sso_app, live_server):
    """The live archive, set up to sign people in through the test provider."""
    sso_app(live_server)
    return live_server


def sign_in_at_provider(page, archive: str, login: str) -> None:
    """Press the login page's button and sign in and consent at the provider as `login`."""
    page.goto(f"{archive}/login")
    page.get_by_role("link", name="Sign in with University Account").click()
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "anything")
    page.get_by_role("button", name="Sign-in").click()
    # Consent to the archive seeing name, e-mail address and groups.
    page.get_by_role("button", name="Continue").click()


def account(email: str) -> User | None:
    db.session.rollback()  # see what the server committed
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def test_the_login_page_with_its_button_passes_axe(browser, archive):
    page = signed_in_page(browser, archive, None)
    page.goto(f"{archive}/login")
    assert page.get_by_role("link", name="Sign in with University Account").is_visible()
    assert violations(page, "the login page offering single sign-on") == []
    page.context.close()


def test_a_first_sign_in_makes_a_contributor_who_can_upload(page, archive, screenshot):
    sign_in_at_provider(page, archive, "tomas")
    page.wait_for_url(f"{archive}/")
    assert page.get_by_role("button", name="Log out Tomás Technician").is_visible()
    user = account("tomas@example.org")
    assert (user.role, user.oidc_subject) == (Role.CONTRIBUTOR, "tomas")
    assert page.goto(f"{archive}/upload").status == 200
    assert page.goto(f"{archive}/review").status == 403
    screenshot(page, "signed-in")


def test_the_curators_group_makes_a_curator(page, archive):
    sign_in_at_provider(page, archive, "cora")
    page.wait_for_url(f"{archive}/")
    assert account("cora@example.org").role == Role.CURATOR
    assert page.goto(f"{archive}/review").status == 200


def test_logging_out_ends_the_providers_session_too(page, archive):
    sign_in_at_provider(page, archive, "tomas")
    page.wait_for_url(f"{archive}/")
    page.get_by_role("button", name="Log out Tomás Technician").click()
    # The provider asks whether to sign out there too, then sends the browser back.
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{archive}/login")
    assert page.get_by_text("You are logged out on every device.").is_visible()
    # Signed out at the provider: the button asks for a login name again.
    page.get_by_role("link", name="Sign in with University Account").click()
    assert page.locator("input[name=login]").is_visible()


def test_a_tampered_state_is_refused_and_opens_no_session(page, archive, oidc_provider, screenshot):
    callbacks = []

    def hold_the_answer(route):
        """Follow the provider's redirects after consent, but stop short of the archive."""
        if "prompt=consent" not in (route.request.post_data or ""):
            route.continue_()
            return
        consented = route.fetch(max_redirects=0)
        resumed = page.request.get(consented.headers["location"], max_redirects=0)
        callbacks.append(resumed.headers["location"])
        route.fulfill(status=204)

    page.route(f"{oidc_provider.issuer}/interaction/*", hold_the_answer)
    sign_in_at_provider(page, archive, "tomas")
    for _ in range(100):
        if callbacks:
            break
        page.wait_for_timeout(50)
    parts = urlsplit(callbacks[0])
    query = dict(parse_qsl(parts.query))
    query["state"] = query["state"][::-1]
    response = page.goto(urlunsplit(parts._replace(query=urlencode(query))))

    assert response.status == 400
    assert page.get_by_text(
        "This sign-in link is no longer valid: start again from the login page."
    ).is_visible()
    screenshot(page, "refused")
    assert account("tomas@example.org") is None
    page.goto(f"{archive}/upload")
    assert urlsplit(page.url).path == "/login"


def test_cancelling_at_the_provider_gives_a_clear_page(page, archive):
    page.goto(f"{archive}/login")
    page.get_by_role("link", name="Sign in with University Account").click()
    page.get_by_role("link", name="[ Cancel ]").click()
    page.wait_for_url(f"{archive}/login/oidc/callback?**")
    assert page.get_by_text(
        "The institution's sign-in did not let you in (access_denied)"
    ).is_visible()
    assert page.get_by_role("link", name="Back to the archive").is_visible()
