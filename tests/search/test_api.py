"""The JSON API as a partner's program meets it: errors, pages, links, times, one photo, CORS."""

from datetime import date, datetime
from urllib.parse import urlsplit

import pytest

from archive import create_app
from archive.consent.intake import withdraw_consent
from archive.extensions import db
from archive.licences.services import licence_by_code
from archive.search.index import apply_pending_changes
from tests.fixtures.app import app_config
from tests.fixtures.photos import fetch_image

PUBLIC = "http://127.0.0.1:5000"  # PUBLIC_URL in the tests


def error_of(response, status: int) -> dict:
    """Return the error of a JSON error answer, having checked its status and shape."""
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.json
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["message"].endswith(".")  # a sentence, not a traceback or a code
    return body["error"]


def path_of(url: str) -> str:
    """Return the path and query of an absolute link at PUBLIC_URL, to follow with the client."""
    assert url.startswith(PUBLIC + "/")
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page=99999999999999999999", "page"),
        ("per_page=abc", "per_page"),
        ("per_page=0", "per_page"),
        ("per_page=-5", "per_page"),
        ("per_page=101", "per_page"),
        ("sort=newest", "sort"),
    ],
)
def test_an_unusable_parameter_is_a_400_naming_it(client, archive, query, named):
    error = error_of(client.get(f"/api/search?q=technician&{query}"), 400)
    assert error["code"] == "invalid_parameter"
    assert error["message"].startswith(f"{named} ")


def test_the_limits_are_said_in_the_message(client, archive):
    assert "at most 100" in error_of(client.get("/api/search?per_page=101"), 400)["message"]
    message = error_of(client.get("/api/search?sort=newest"), 400)["message"]
    assert "relevance" in message and "taken" in message
    assert client.get("/api/search?per_page=100&page=1&sort=taken").status_code == 200


def test_the_search_page_refuses_them_too_with_a_page(client, archive):
    response = client.get("/search?q=lathe&page=abc")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "page must be a whole number of 1 or more" in response.get_data(as_text=True)


def test_a_refused_query_has_the_same_shape(client, archive):
    error = error_of(client.get("/api/search", query_string={"q": "person:priya"}), 400)
    assert error["code"] == "query_refused"
    assert "Only curators and admins can search by the people shown" in error["message"]


@pytest.mark.parametrize("path", ["/api/nothing", "/api/photos/999999", "/api/photos/abc", "/api/"])
def test_an_unknown_api_url_is_a_json_404(client, archive, path):
    assert error_of(client.get(path), 404)["code"] == "not_found"


def test_pages_outside_the_api_stay_html(client, archive):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_a_wrong_method_is_a_json_405_saying_which_is_right(client, archive, method):
    for path in ("/api/search", f"/api/photos/{archive['lathe'].id}"):
        response = client.open(path, method=method)
        error = error_of(response, 405)
        assert error["code"] == "method_not_allowed"
        assert "accepts GET" in error["message"]
        assert response.headers["Allow"] == "GET"


def test_a_server_error_is_json_too(app, client):
    def broken():
        raise RuntimeError("a bug")

    app.add_url_rule("/api/broken", view_func=broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error page answers
    error = error_of(client.get("/api/broken"), 500)
    assert error["code"] == "server_error" and "a bug" not in error["message"]


@pytest.fixture
def many(make_photo):
    """Five approved photos of a lathe with no one identifiable, shown to visitors."""
    photos = [
        make_photo(status="approved", title=f"Lathe number {n}", caption="On the lathe.")
        for n in range(5)
    ]
    apply_pending_changes()
    return photos


def test_pages_link_to_each_other_absolutely_and_end_in_null(client, many):
    # A forged Host must not choose where the links point.
    response = client.get("/api/search?q=lathe&per_page=2", headers={"Host": "evil.example"})
    first = response.json
    assert (first["total"], first["page"], first["pages"], first["per_page"]) == (5, 1, 3, 2)
    assert first["prev"] is None and "evil" not in response.get_data(as_text=True)
    seen, body = [], first
    while True:
        assert len(body["results"]) == (2 if body["page"] < 3 else 1)
        seen += [result["id"] for result in body["results"]]
        if body["next"] is None:
            break
        assert "per_page=2" in body["next"] and "q=lathe" in body["next"]
        following = client.get(path_of(body["next"])).json
        assert following["page"] == body["page"] + 1
        assert following["prev"] is not None
        assert client.get(path_of(following["prev"])).json["page"] == body["page"]
        body = following
    assert body["page"] == 3
    assert sorted(seen) == sorted(photo.id for photo in many)


def test_one_page_of_everything_has_no_links(client, many):
    body = client.get("/api/search?q=lathe").json
    assert (body["pages"], body["per_page"], body["next"], body["prev"]) == (1, 24, None, None)


def test_urls_in_results_are_absolute(client, archive):
    [result] = client.get("/api/search?q=spectrometer", headers={"Host": "evil.example"}).json[
        "results"
    ]
    photo = archive["spectrometer"]
    assert result["url"] == f"{PUBLIC}/photos/{photo.id}"
    assert result["api_url"] == f"{PUBLIC}/api/photos/{photo.id}"
    assert result["thumb_url"] == f"{PUBLIC}/media/{photo.derivative('thumb').sha256}.jpg"


def test_camera_times_carry_the_archive_time_zone_offset(app, client, archive):
    photo = archive["spectrometer"]  # taken 1 June 2021, 10:00 on the camera's clock
    assert client.get("/api/search?q=spectrometer").json["results"][0]["taken_at"] == (
        "2021-06-01T10:00:00+01:00"  # London in summer
    )
    photo.taken_at = datetime(2021, 12, 1, 10, 0)
    db.session.commit()
    assert client.get(f"/api/photos/{photo.id}").json["taken_at"] == "2021-12-01T10:00:00+00:00"
    app.config["TIME_ZONE"] = "Asia/Tokyo"
    assert client.get(f"/api/photos/{photo.id}").json["taken_at"] == "2021-12-01T10:00:00+09:00"


def test_a_time_zone_that_does_not_exist_stops_the_app_saying_so(tmp_path):
    with pytest.raises(RuntimeError, match="ARCHIVE_TIME_ZONE=Europe/Lundon"):
        create_app({**app_config(tmp_path), "TIME_ZONE": "Europe/Lundon"})


def test_one_photo_as_a_visitor_sees_it(client, archive):
    photo = archive["spectrometer"]
    response = client.get(f"/api/photos/{photo.id}")
    body = response.json
    assert body["id"] == photo.id
    assert body["title"] == "Calibrating the mass spectrometer"
    assert body["caption"].startswith("Priya calibrates the mass spectrometer")
    assert body["alt_text"] == "Photo: Calibrating the mass spectrometer"
    assert body["url"] == f"{PUBLIC}/photos/{photo.id}"
    assert body["tags"] == {"job_roles": ["Laboratory technician"], "departments": ["Chemistry"]}
    assert (body["width"], body["height"]) == (photo.width, photo.height)
    assert set(body["files"]) == {"thumb", "display"}  # the sizes its page shows a visitor
    for kind, file in body["files"].items():
        derivative = photo.derivative(kind)
        assert file == {
            "url": f"{PUBLIC}/media/{derivative.sha256}.jpg",
            "width": derivative.width,
            "height": derivative.height,
        }
        assert fetch_image(client, path_of(file["url"])) == (
            200,
            max(file["width"], file["height"]),
        )
    text = response.get_data(as_text=True)
    # Nothing of the people shown: neither their names nor their EDI answers.
    assert "Raman" not in text and "Woman" not in text and "gender" not in text


def test_one_photo_gives_its_licence_and_credit(app, client, make_photo):
    photo = make_photo(status="approved", licence="CC-BY-4.0", photographer="Ana Souza")
    body = client.get(f"/api/photos/{photo.id}").json
    licence = licence_by_code("CC-BY-4.0")
    assert body["licence"] == {"code": "CC-BY-4.0", "name": licence.name, "url": licence.url}
    assert body["photographer"] == "Ana Souza"
    assert body["credit_line"] == f"Photo: Ana Souza / {app.config['INSTITUTION']}, CC BY 4.0"


def test_one_photo_is_hidden_from_whoever_may_not_see_it(client, login_as, archive):
    missing = client.get("/api/photos/999999").json
    for name in ("welding", "pending"):  # internal use only; in review
        assert client.get(f"/api/photos/{archive[name].id}").json == missing
    login_as("comms")
    assert client.get(f"/api/photos/{archive['welding'].id}").status_code == 404
    body = client.get(f"/api/photos/{archive['spectrometer'].id}").json
    assert set(body["files"]) == {"thumb", "display"}


def test_a_contributor_sees_internal_photos_and_a_curator_every_size(client, login_as, archive):
    login_as("contributor")
    assert client.get(f"/api/photos/{archive['welding'].id}").status_code == 200
    login_as("curator")
    body = client.get(f"/api/photos/{archive['pending'].id}").json
    assert set(body["files"]) == {"thumb", "display", "large"}


def test_a_withdrawn_photo_is_a_404_at_once(client, login_as, archive):
    photo = archive["spectrometer"]
    assert client.get(f"/api/photos/{photo.id}").status_code == 200
    withdraw_consent(photo.people[0].consent_forms[0], by=None, on=date.today())
    missing = client.get("/api/photos/999999").json
    assert client.get(f"/api/photos/{photo.id}").json == missing
    assert client.get("/api/search?q=spectrometer").json["total"] == 0
    login_as("comms")
    assert client.get(f"/api/photos/{photo.id}").status_code == 404


def test_visitors_answers_are_readable_by_any_site(client, archive):
    photo_url = f"/api/photos/{archive['spectrometer'].id}"
    for url in ("/api/search?q=spectrometer", "/api/search?q=spectrometer", photo_url):
        # Twice: the second search is sent from what the page cache kept.
        assert client.get(url).headers["Access-Control-Allow-Origin"] == "*", url
    for url in ("/api/search?page=0", "/api/nothing"):
        assert client.get(url).headers["Access-Control-Allow-Origin"] == "*", url


@pytest.mark.parametrize("visitor_first", [True, False])
def test_signed_in_answers_are_not(app, client, login_as, archive, visitor_first):
    visitor = app.test_client()
    search, photo = "/api/search?q=spectrometer", f"/api/photos/{archive['spectrometer'].id}"
    if visitor_first:  # so that the visitor's answer is kept
        assert "Access-Control-Allow-Origin" in visitor.get(search).headers
    login_as("comms")
    for url in (search, photo, "/api/search?page=0", "/api/nothing"):
        assert "Access-Control-Allow-Origin" not in client.get(url).headers, url
    assert visitor.get(search).headers["Access-Control-Allow-Origin"] == "*"
