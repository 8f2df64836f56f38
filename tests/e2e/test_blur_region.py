"""A curator drags a rectangle over a bystander on the review page; visitors see it blurred."""

from archive.extensions import db
from archive.photos.regions import Box
from tests.e2e.conftest import log_in
from tests.photos.test_blur import checkerboard, contrast, ingest, picture_of


def test_a_dragged_rectangle_is_blurred_in_the_public_gallery(
    live_server, browser, screenshot, make_user, make_exhibition, tmp_path
):
    photo = ingest(checkerboard(tmp_path / "board.jpg"))
    exhibition = make_exhibition([photo])
    curator = make_user("curator")

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, live_server, curator)
    page.goto(f"{live_server}/photos/{photo.id}")
    picture = page.locator("#photo-image")
    picture.scroll_into_view_if_needed()
    bounds = picture.bounding_box()
    page.mouse.move(bounds["x"] + bounds["width"] * 0.30, bounds["y"] + bounds["height"] * 0.25)
    page.mouse.down()
    page.mouse.move(bounds["x"] + bounds["width"] * 0.40, bounds["y"] + bounds["height"] * 0.40)
    page.mouse.move(bounds["x"] + bounds["width"] * 0.50, bounds["y"] + bounds["height"] * 0.55)
    page.mouse.up()
    dragged = {name: float(page.input_value(f"#blur-{name}")) for name in ("left", "width")}
    assert abs(dragged["left"] - 30) < 1 and abs(dragged["width"] - 20) < 1
    assert page.locator(".blur-outline").is_visible()
    screenshot(page, "dragged")
    page.click("text=Blur this region")
    assert "Blurred the region" in page.inner_text(".flashes")
    assert "Region 1: from" in page.inner_text("#blur")
    screenshot(page, "blurred")

    db.session.rollback()  # see what the server committed
    visitor = browser.new_page(viewport={"width": 1200, "height": 900})
    visitor.goto(f"{live_server}/exhibitions/{exhibition.slug}")
    source = visitor.locator("main img").first.get_attribute("src")
    shown = picture_of(visitor.request.get(f"{live_server}{source}").body())
    assert contrast(shown, Box(0.32, 0.28, 0.16, 0.24)) < 10  # blurred there
    assert contrast(shown, Box(0.70, 0.60, 0.20, 0.30)) > 100  # sharp elsewhere
    with photo.open() as original:
        assert contrast(picture_of(original.read()), Box(0.32, 0.28, 0.16, 0.24)) > 100

    # A region typed past the picture's edge is refused with a sentence; removing asks first.
    page.fill("#blur-left", "90")
    page.fill("#blur-top", "10")
    page.fill("#blur-width", "20")
    page.fill("#blur-height", "10")
    page.click("text=Blur this region")
    assert "reaches past the picture's right edge" in page.inner_text(".error-summary")
    screenshot(page, "refused")
    page.goto(f"{live_server}/photos/{photo.id}")
    page.click("#blur button:has-text('Remove blur')")
    assert "whoever is there becomes recognisable" in page.inner_text("main")
    screenshot(page, "confirm-removal")
    page.click("main button[type=submit]")
    assert "Removed the blur" in page.inner_text(".flashes")
