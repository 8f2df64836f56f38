"""Batch work on search results: curators tag, license, exhibit or approve many photos at once.

Above exhibitions and search, which it uses; the search page knows it only through the
template global `batch_choices(user)`, so search imports nothing of it.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Give templates `batch_choices(user)`: the batch form's choices, None for who may not."""
    from archive.batch.services import batch_choices

    app.jinja_env.globals["batch_choices"] = batch_choices
