"""A curator ticks ten search results and sets a department on all of them in the browser."""

from archive.extensions import db
from archive.people.models import Vocabulary
from archive.search.index import apply_pending_changes
from tests.e2e.conftest import log_in
from tests.search.conftest import term
from tests.search.test_batch import bench  # noqa: F401 - the fixture, shared with the service tests


def test_curator_sets_a_department_on_ten_results_and_the_withdrawn_one_is_named(
    live_server,
    browser,
    screenshot,
    bench,  # noqa: F811 - the fixture imported above
):
    curator, photos = bench
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, live_server, curator)
    page.goto(f"{live_server}/search?q=bench")
    assert "10 photos for “bench”" in page.inner_text("main")

    page.click("text=Change several photos at once")
    for photo in photos:
        page.get_by_label(f"Select “{photo.title}”").check()
    assert "(10 ticked)" in page.inner_text(".batch-form summary")  # batch.js counts them
    page.select_option("#batch-department", label="Chemistry")
    screenshot(page, "ticked")
    page.click("text=Add the tags")

    summary = page.inner_text("#batch-summary")
    assert summary == "Added department Chemistry: done for 9; refused for 1."
    refused = page.locator("h2:has-text('Refused for 1') + ul").inner_text()
    assert refused == "“Soldering a sensor” — withdrawn: Grace Adeyemi withdrew consent"
    assert page.locator("h2:has-text('Done for 9') + ul li").count() == 9
    screenshot(page, "report")

    db.session.rollback()  # see what the server committed
    chemistry = term(Vocabulary.DEPARTMENT, "Chemistry")
    assert [p.title for p in photos if chemistry in p.tags] == [p.title for p in photos[:9]]
    apply_pending_changes()  # in case the index lock was busy; normally done already
    page.click("text=Back to the search results")
    facets = page.inner_text("#facets")
    assert "Chemistry (9)" in facets
    page.click("#facets >> text=Chemistry")
    assert "9 photos for “bench”" in page.inner_text("main")
    assert "Soldering a sensor" not in page.inner_text(".grid")


def test_the_page_helper_ticks_every_result_and_all_matching_needs_no_ticks(
    live_server,
    browser,
    bench,  # noqa: F811
):
    curator, _ = bench
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, live_server, curator)
    page.goto(f"{live_server}/search?q=bench&per_page=4")
    page.click("text=Change several photos at once")
    page.click("text=Tick every photo on this page")
    assert "(4 ticked)" in page.inner_text(".batch-form summary")
    page.click("text=Untick every photo on this page")
    assert "(0 ticked)" in page.inner_text(".batch-form summary")

    page.get_by_label("All 10 matching this search").check()
    page.select_option("#batch-job-role", label="Apprentice")
    page.click("text=Add the tags")
    assert page.inner_text("#batch-summary") == (
        "Added job role Apprentice: done for 9; refused for 1."
    )
