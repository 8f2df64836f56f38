"""On a 390 x 844 phone: a compact header, a Menu that opens the navigation, results first."""

import pytest

from archive.search.index import apply_pending_changes
from tests.fixtures.app import PASSWORD

PHONE = {"width": 390, "height": 844}
ROLES = ("contributor", "curator", "comms", "admin")


@pytest.fixture
def glass(make_user, make_person, make_photo):
    """Four photos of glass, under two licences, so the search has results and filters."""
    make_user("curator")
    person = make_person("Grace Adeyemi", scopes=["internal", "web", "press"])
    for number, licence in enumerate(["CC-BY-4.0", "INST-USE"] * 2):
        make_photo(title=f"Glass {number}", people=[person], licence=licence, status="approved")
    apply_pending_changes()


def phone_page(browser, base, user=None, **options):
    """Open a phone-sized page, logged in as the user when given."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, **options)
    page = context.new_page()
    if user is not None:
        page.goto(f"{base}/login")
        page.fill("#email", user.email)
        page.fill("#password", PASSWORD)
        page.locator("main button[type=submit]").tap()
        page.wait_for_url(f"{base}/")
    return page


def height(page, selector: str) -> float:
    return page.evaluate(f"document.querySelector({selector!r}).getBoundingClientRect().height")


@pytest.mark.parametrize("role", [None, *ROLES])
def test_the_header_is_compact_and_menu_opens_the_navigation(
    live_server, browser, screenshot, make_user, role
):
    page = phone_page(browser, live_server, make_user(role) if role else None)
    page.goto(f"{live_server}/search")
    menu = page.locator("header .small-screen-toggle")
    assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
    assert not page.locator("#site-nav").is_visible()
    assert height(page, "header.site") <= 70
    screenshot(page, "closed")
    menu.tap()
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.locator("#site-nav a", has_text="Exhibitions").is_visible()
    if role:
        assert page.locator("#site-nav button", has_text="Log out").is_visible()
    screenshot(page, "open")
    page.context.close()


def test_results_come_before_the_filters_on_a_phone(
    live_server, browser, screenshot, make_user, glass
):
    page = phone_page(browser, live_server, make_user("admin"))
    page.goto(f"{live_server}/search?q=glass")
    first = page.locator(".tile").first.bounding_box()
    assert first["y"] + first["height"] <= PHONE["height"]  # the whole first tile, unscrolled
    assert not page.locator("#facets").is_visible()
    screenshot(page, "results")
    filters = page.locator("button[aria-controls=facets]")
    assert filters.inner_text().strip() == "Filter"
    filters.tap()
    assert filters.get_attribute("aria-expanded") == "true"
    licence = page.locator("#facets a", has_text="Creative Commons Attribution 4.0")
    licence.tap()
    page.wait_for_url("**licence=cc-by-4.0**")
    assert filters.inner_text().strip() == "Filter (1 active)"
    assert page.locator(".tile").count() == 2
    screenshot(page, "filtered")
    page.context.close()


def test_without_javascript_the_navigation_and_filters_stay_open(
    live_server, browser, make_user, glass
):
    page = phone_page(browser, live_server, java_script_enabled=False)
    page.goto(f"{live_server}/search?q=glass")
    assert not page.locator(".small-screen-toggle").first.is_visible()
    assert page.locator("#site-nav a", has_text="Exhibitions").is_visible()
    assert page.locator("#facets a", has_text="Creative Commons Attribution 4.0").is_visible()
    page.context.close()
