"""E-mail: messages queued in the database with the change that causes them, sent by a worker.

A request only adds a row (`outbox.queue_mail`), so a slow or absent mail server never slows
a page; `flask --app archive send-mail` (once, or `--watch` as a worker) delivers what is due
(`delivery.deliver_due`), retrying with backoff. Every message stays recorded for admins.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the mail command on the app."""
    from archive.mail import commands

    commands.init_app(app)
