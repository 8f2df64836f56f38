"""What an unexpected error writes to the log: the route and the traceback, never the URL."""

import json
import logging

from archive.consent import link_views
from archive.logs import JsonFormatter

TOKEN = "eyJwZXJzb24iOjQyfQ.Zx9Q-secret-link-token"


def fail_on_lookup(token: str):
    """Stand in for the consent-link lookup, failing as a bug would."""
    raise RuntimeError("the consent store did not answer")


def test_an_error_on_a_consent_link_logs_the_route_never_the_token_or_query(
    app, client, caplog, monkeypatch
):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer with the 500 page, as in production
    monkeypatch.setattr(link_views, "_person_or_error", fail_on_lookup)
    caplog.set_level(logging.DEBUG)

    response = client.post(f"/my-consent/{TOKEN}/withdraw?q=gender:woman")

    assert response.status_code == 500
    [error] = [record for record in caplog.records if record.levelno == logging.ERROR]
    line = json.loads(JsonFormatter().format(error))
    assert line["message"] == "Exception on /my-consent/<token>/withdraw [POST]"
    assert (line["route"], line["method"]) == ("/my-consent/<token>/withdraw", "POST")
    assert "RuntimeError: the consent store did not answer" in line["exception"]
    logged = caplog.text + "".join(JsonFormatter().format(r) for r in caplog.records)
    assert "secret-link-token" not in logged and "eyJwZXJzb24iOjQyfQ" not in logged
    assert "gender" not in logged and "woman" not in logged
