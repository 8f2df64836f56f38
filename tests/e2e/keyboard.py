"""Driving a page by keyboard alone, and asking where focus is."""

FOCUSED = "document.activeElement"


def focused_matches(page, selector: str) -> bool:
    """Return whether the focused element matches the CSS selector."""
    return page.evaluate(f"s => !!{FOCUSED} && {FOCUSED}.matches(s)", selector)


def tab_to(page, selector: str, text: str | None = None, limit: int = 60) -> int:
    """Press Tab until the focused element matches the selector (and has the text, if given).

    Return how many presses it took.
    """
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if focused_matches(page, selector) and text in (None, focused_text(page)):
            return presses
    raise AssertionError(f"{limit} presses of Tab never reached {selector} {text or ''}")


def focused_text(page) -> str:
    """Return the focused element's text."""
    return page.evaluate(f"{FOCUSED}.innerText || {FOCUSED}.value || ''").strip()


def focused_id(page) -> str:
    """Return the focused element's id."""
    return page.evaluate(f"{FOCUSED}.id")


def log_in_by_keyboard(page, base: str, user, password: str) -> None:
    """Log in through the login page, typing and pressing keys only."""
    page.goto(f"{base}/login")
    tab_to(page, "#email")
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    assert focused_matches(page, "#password")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{base}/"
