"""Absolute links to the archive, made from PUBLIC_URL and never from a request's Host."""

from urllib.parse import urlsplit

from flask import current_app

# The headers of a page whose URL is itself the key (a consent link, a reset link, a mail
# choices link): never cached, passed on as a referrer, or indexed.
KEYED_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}


def public_url(endpoint: str, **values) -> str:
    """Return the absolute URL of an endpoint at PUBLIC_URL, whatever Host a request named.

    Pages kept for every visitor carry absolute URLs: made from the Host header, they would
    let one forged request choose where later visitors' links and previews point.
    """
    public = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        public.netloc, script_name=public.path or "/", url_scheme=public.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
