"""Erasing a person leaves their erased photos simply not there.

Every route that takes an erased photo's id or file answers 404, never 500.
"""

from archive.auth.models import Role, User
from archive.rights.erasure import erase_person
from archive.rights.models import ConsentScope
from tests.conftest import PASSWORD, FreshGlobalsClient, route_values
from tests.test_access_matrix import requests

NAME = "Rhys Morgan"


def erase(person, *, delete_originals: bool = False):
    """Erase the person as an admin would, through the service."""
    admin = User.query.filter_by(role=Role.ADMIN).first()
    return erase_person(person, by=admin, delete_originals=delete_originals)


def test_erased_photos_pages_are_404(app, make_user, make_person, make_photo, make_exhibition):
    users = {role.value: make_user(role) for role in Role}
    person = make_person(NAME, scopes=[s.value for s in ConsentScope])
    photo = make_photo(uploaded_by=users["contributor"], people=[person], status="approved")
    other = make_person("Grace Adeyemi", scopes=[s.value for s in ConsentScope])
    kept = make_photo(uploaded_by=users["contributor"], people=[other], status="approved")
    exhibition = make_exhibition([photo, kept])
    # Every route, with the erased photo's id and thumbnail wherever a route takes one.
    values = route_values(photo=photo, person=other, user=users["comms"], exhibition=exhibition)
    by_photo = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if {"photo_id", "sha256"} & rule.arguments
    }
    erase(person, delete_originals=True)
    wrong = []
    for method, endpoint, url in requests(app, values):
        for role in ("contributor", "curator", "comms", "admin"):
            client = FreshGlobalsClient(app, app.response_class, use_cookies=True)
            client.post("/login", data={"email": users[role].email, "password": PASSWORD})
            try:
                response = client.open(url, method=method)
            except Exception as error:  # noqa: BLE001 - the test client re-raises what a 500 hides
                wrong.append((method, url, role, type(error).__name__))
                continue
            response.close()
            if response.status_code >= 500 or (
                endpoint in by_photo and response.status_code not in (403, 404)
            ):
                wrong.append((method, url, role, response.status_code))
    assert wrong == []
