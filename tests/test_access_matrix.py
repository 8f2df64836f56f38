"""Who may use every route, declared once; a route missing from the table fails the test."""

import pytest
from flask import url_for

from archive.auth.models import Role
from tests.fixtures.app import PASSWORD, FreshGlobalsClient
from tests.fixtures.routes import route_values

ANONYMOUS = "anonymous"
EVERYONE = {ANONYMOUS, "contributor", "curator", "comms", "admin"}
UPLOADERS = {"contributor", "curator", "admin"}
REVIEWERS = {"curator", "admin"}
DOWNLOADERS = {"comms", "curator", "admin"}
ADMINS = {"admin"}

# endpoint -> the roles that may use it (GET and POST alike)
MATRIX = {
    "static": EVERYONE,
    "health.healthz": EVERYONE,
    "health.livez": EVERYONE,
    "auth.login": EVERYONE,
    "auth.logout": EVERYONE,
    "auth.accessibility": EVERYONE,
    "auth.password": EVERYONE - {ANONYMOUS},
    "auth.users": ADMINS,
    "auth.edit_user": ADMINS,
    "auth.sign_in_policy": ADMINS,
    # Not configured in this app: nothing there (404), for everyone alike.
    "sso.start": EVERYONE,
    "sso.callback": EVERYONE,
    "home.home": EVERYONE,
    "upload.photos": UPLOADERS,
    "upload.preview": UPLOADERS,
    "photos.my_uploads": UPLOADERS,
    "photos.queue": REVIEWERS,
    "photos.review": REVIEWERS,
    "photos.approve_many": REVIEWERS,
    "photos.photo_page": EVERYONE,  # the photo used here is cleared for the web
    "photos.edit_photo": REVIEWERS,  # it is approved and someone else's: curators only
    "photos.derivative_file": EVERYONE,
    "blur.blur": REVIEWERS,
    "blur.unblur": REVIEWERS,
    "focal.focal_point": REVIEWERS,
    "people.index": REVIEWERS,
    "people.new": REVIEWERS,
    "people.person_page": REVIEWERS,
    "people.upload_consent": REVIEWERS,
    "people.consent_link": REVIEWERS,
    "people.ask_for_consent": REVIEWERS,
    "consent_requests.ask_people_shown_in": REVIEWERS,
    "people.erase": ADMINS,
    "people.questions": ADMINS,
    "consent.overview": REVIEWERS,
    "consent.record": REVIEWERS,
    "consent.consent_file": REVIEWERS,
    "consent.renew": REVIEWERS,
    "consent.withdraw": REVIEWERS,
    "sheets.new_sheet": REVIEWERS,
    "sheets.sheet_page": REVIEWERS,
    "events.index": REVIEWERS,
    "events.new": REVIEWERS,
    "events.edit": REVIEWERS,
    "events.event_page": REVIEWERS,
    "licences.manage": ADMINS,
    "auth.audit": ADMINS,
    "auth.mail_log": ADMINS,
    "auth.mail_choices": EVERYONE - {ANONYMOUS},
    "reset.ask": EVERYONE,
    "reset.sent": EVERYONE,
    "reset.choose": EVERYONE,  # the signed token is the key
    "downloads.download_photo": DOWNLOADERS,
    "downloads.history": DOWNLOADERS,
    "downloads.social_kit_page": DOWNLOADERS,
    "downloads.basket": DOWNLOADERS,
    "downloads.add_to_basket_page": DOWNLOADERS,
    "downloads.remove_from_basket_page": DOWNLOADERS,
    "downloads.download_basket_zip": DOWNLOADERS,  # empty at first: a 422 saying so
    "consent_link.respond": EVERYONE,  # the signed token is the key
    "consent_link.photo_file": EVERYONE,
    "consent_link.withdraw": EVERYONE,
    "mail.preferences": EVERYONE,  # the signed address is the key
    "search.search_page": EVERYONE,
    "search.api_search": EVERYONE,
    "batch.run": REVIEWERS,
    "api.photo": EVERYONE,  # the photo is cleared for the web, as for photos.photo_page
    "reports.representation_page": REVIEWERS,
    "reports.representation_csv": REVIEWERS,
    "exhibitions.index": EVERYONE,
    "exhibitions.gallery": EVERYONE,
    "exhibitions.media": EVERYONE,
    "exhibitions.manifest": EVERYONE,
    "curate.exhibitions": REVIEWERS,
    "curate.edit": REVIEWERS,
    "curate.add": REVIEWERS,
    "curate.update_item": REVIEWERS,
    "curate.cover": REVIEWERS,
    "curate.move": REVIEWERS,
    "curate.remove": REVIEWERS,
    "curate.order": REVIEWERS,
    "curate.publish_exhibition": REVIEWERS,
    "curate.rotate_exhibition_key": REVIEWERS,
    "curate.unpublish_exhibition": REVIEWERS,
    "curate.export_csv": REVIEWERS,
    "curate.export_site": REVIEWERS,
    "print_pack.print_pack_zip": REVIEWERS,
    "curate.feature": REVIEWERS,
    # The profile is there only while its person holds the use (not so here): a 404 for all.
    "profiles.index": EVERYONE,
    "profiles.profile_page": EVERYONE,
    "profiles.edit": REVIEWERS,
}


def test_every_route_is_declared(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(MATRIX) == set(), "declare who may use the new routes in MATRIX"
    assert set(MATRIX) - endpoints == set(), "MATRIX names routes that no longer exist"


@pytest.fixture
def world(app, make_user, make_person, make_photo, make_exhibition):
    """One of everything a route can take, and a user of each role."""
    users = {role.value: make_user(role) for role in Role}
    person = make_person("Grace Adeyemi", scopes=["internal", "exhibition", "web", "press"])
    # Nobody identifiable in the photo: the POSTs withdraw the person's consent on the way,
    # which would hide a photo of them, and what a role may use must not hang on that order.
    photo = make_photo(uploaded_by=users["contributor"], status="approved")
    exhibition = make_exhibition([photo])
    values = route_values(photo=photo, person=person, user=users["comms"], exhibition=exhibition)
    return users, values


def requests(app, values):
    """Yield (method, endpoint, url) for every route: all GETs first, then the POSTs."""
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)
    with app.test_request_context():
        urls = [
            (rule, url_for(rule.endpoint, **{name: values[name] for name in rule.arguments}))
            for rule in rules
        ]
    for method in ("GET", "POST"):
        for rule, url in urls:
            if method in rule.methods:
                yield method, rule.endpoint, url


def test_each_role_gets_exactly_the_routes_it_may(app, world):
    users, values = world
    wrong = []
    for method, endpoint, url in requests(app, values):
        for role in sorted(EVERYONE):
            client = FreshGlobalsClient(app, app.response_class, use_cookies=True)
            if role != ANONYMOUS:
                client.post("/login", data={"email": users[role].email, "password": PASSWORD})
            response = client.open(url, method=method)
            status = response.status_code
            response.close()
            to_login = status == 302 and "/login" in response.headers.get("Location", "")
            assert status < 500, f"{method} {url} as {role}: {status}"
            if role in MATRIX[endpoint]:
                if status == 403 or (to_login and endpoint != "auth.logout"):
                    wrong.append((method, url, role, status, "refused but allowed"))
            elif role == ANONYMOUS:
                if not to_login:
                    wrong.append((method, url, role, status, "anonymous not sent to log in"))
            elif status != 403:
                wrong.append((method, url, role, status, "allowed but should be 403"))
    assert wrong == []
