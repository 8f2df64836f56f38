"""Each role's home page as a person sees it, at desktop and phone widths."""

from datetime import date, timedelta

import pytest

from tests.e2e.conftest import log_in


@pytest.fixture
def collection(make_user, make_person, make_photo, make_exhibition, exhibit_photos):
    """Published and draft exhibitions, a pending upload, a consent expiring soon."""
    contributor = make_user("contributor")
    make_photo(uploaded_by=contributor, title="Soldering a board")
    make_photo(uploaded_by=contributor, title="Cleanroom gowning", status="approved")
    make_person("Tomas Varga", scopes=["web"], expires_on=date.today() + timedelta(days=9))
    make_exhibition(exhibit_photos, title="Glass and brass", summary="Made by hand, in the labs.")
    make_exhibition(exhibit_photos[:1], title="Half built", published=False)
    return {"contributor": contributor}


@pytest.mark.parametrize("role", ["visitor", "contributor", "curator", "comms", "admin"])
def test_home_page_by_role(live_server, browser, screenshot, make_user, collection, role):
    expected = {
        "visitor": ["Glass and brass", "Made by hand, in the labs.", "Search the archive"],
        "contributor": ["Your recent uploads", "Soldering a board", "Upload photos"],
        "curator": ["1 photo awaiting review", "Tomas Varga", "Half built"],
        "comms": ["Search the archive", "Your recent downloads"],
        "admin": ["1 photo awaiting review", "Tomas Varga", "Half built"],
    }[role]
    for width, height in ((1200, 900), (390, 844)):
        page = browser.new_page(viewport={"width": width, "height": height})
        if role != "visitor":
            user = collection.get(role) or make_user(role)
            collection[role] = user
            log_in(page, live_server, user)
        page.goto(f"{live_server}/")
        page.wait_for_load_state("networkidle")
        text = page.inner_text("main")
        for words in expected:
            assert words in text, f"{role}'s home lacks {words!r}"
        if role == "visitor":
            assert page.eval_on_selector_all(
                ".cards img", "images => images.every(i => i.naturalWidth > 0)"
            )
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{role}'s home is {wide} px wide at {width} px"
        screenshot(page, f"{width}px")
        # The full-page screenshot starts the lazy thumbnails: let them finish before leaving,
        # or the test server is left with a file open.
        page.wait_for_function("[...document.images].every(image => image.complete)")
        page.wait_for_load_state("networkidle")
        page.close()
