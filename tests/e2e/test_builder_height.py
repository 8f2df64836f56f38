"""The exhibition builder stays compact: 12 items fit in about two screens, details on demand."""

from tests.e2e.conftest import log_in

SCREEN = {"width": 1200, "height": 900}


def test_a_builder_of_twelve_items_is_about_two_screens(
    live_server, browser, screenshot, make_user, make_photo, make_exhibition
):
    photos = [
        make_photo(title=f"Bench {n}", alt_text=f"A workbench, view {n}", status="approved")
        for n in range(1, 13)
    ]
    exhibition = make_exhibition(photos, published=False)
    curator = make_user("curator")
    page = browser.new_page(viewport=SCREEN)
    log_in(page, live_server, curator)
    page.goto(f"{live_server}/curate/{exhibition.id}")
    items = page.locator("ol.items li.item")
    assert items.count() == 12
    list_height = page.eval_on_selector("ol.items", "list => list.getBoundingClientRect().height")
    height = page.evaluate("document.documentElement.scrollHeight")
    screenshot(page, "builder")
    print(f"builder with 12 items: page {height} px, item list {list_height} px")
    assert list_height <= 1.2 * SCREEN["height"], f"the 12 items take {list_height} px"
    assert height <= 2.5 * SCREEN["height"], f"the page is {height} px tall"

    first = items.first
    alt = first.locator("input[id$='-alt_text']")
    assert not alt.is_visible()  # details on demand
    first.locator("summary").click()
    assert alt.is_visible()
    assert alt.get_attribute("placeholder") == "A workbench, view 1"
    assert "Leave blank to use the photo's own: “A workbench, view 1”" in first.inner_text()
    page.close()
