"""The exported static site works from disk, offline, in a real browser (a gallery kiosk)."""

import zipfile


def test_the_static_site_opens_offline_from_disk(
    browser,
    screenshot,
    runner,
    tmp_path,
    exhibit_photos,
    make_exhibition,
):
    exhibition = make_exhibition(exhibit_photos)
    archive = tmp_path / "site.zip"
    result = runner.invoke(
        args=["export-exhibition", exhibition.slug, "--format", "static", "-o", str(archive)]
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "kiosk"
    with zipfile.ZipFile(archive) as site:
        site.extractall(folder)
    context = browser.new_context(offline=True)
    page = context.new_page()
    page.goto((folder / "index.html").as_uri())
    page.wait_for_load_state("load")
    widths = page.eval_on_selector_all("img", "images => images.map(i => i.naturalWidth)")
    # Field kit's technician agreed to the web, not to physical exhibitions: not in a kiosk.
    assert len(widths) == len(exhibit_photos) - 1 and all(width > 0 for width in widths)
    assert page.locator("h1").inner_text() == exhibition.title
    screenshot(page, "kiosk")
    context.close()
