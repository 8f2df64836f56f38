"""Sending what the outbox holds through the SMTP server, retrying with backoff."""

import contextlib
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

from archive.core.database import utc_now, write_transaction
from archive.extensions import db
from archive.mail.models import MailMessage, MailStatus

# A worker moves a message's next try this far on before sending it, so another worker
# leaves it alone; longer than any SMTP conversation's timeout.
LEASE = timedelta(minutes=10)
SMTP_TIMEOUT_SECONDS = 30
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)


@dataclass
class Delivery:
    """What one run of the worker did."""

    sent: int = 0
    failed: int = 0  # tries that failed, to be tried again or given up on


class MailNotConfigured(Exception):
    """MAIL_SERVER or MAIL_FROM is not set: nothing can be sent."""


def deliver_due(limit: int = 100, now: datetime | None = None) -> Delivery:
    """Send up to `limit` queued messages whose time has come (by `now`), over one connection."""
    config = current_app.config
    if not config["MAIL_SERVER"] or not config["MAIL_FROM"]:
        raise MailNotConfigured(
            "ARCHIVE_MAIL_SERVER and ARCHIVE_MAIL_FROM must be set to send mail; "
            "queued messages wait until they are"
        )
    now = now or utc_now()
    delivery = Delivery()
    due = _claim(limit, now)
    if not due:
        return delivery
    try:
        connection = _connect()
    except OSError as error:  # smtplib's errors are OSErrors too
        return _not_sent(due, error, now, delivery)
    try:
        for position, message_id in enumerate(due):
            try:
                connection.send_message(_email(db.session.get(MailMessage, message_id)))
            except OSError as error:
                if _connection_lost(error):
                    return _not_sent(due[position:], error, now, delivery)
                _record_failure(message_id, error, now)
                delivery.failed += 1
            else:
                _record_sent(message_id)
                delivery.sent += 1
    finally:
        with contextlib.suppress(OSError):
            connection.quit()
        connection.close()
    return delivery


def _not_sent(message_ids: list[int], error: OSError, now: datetime, delivery: Delivery):
    """Record the error on each message the lost connection did not send, to try again."""
    for message_id in message_ids:
        _record_failure(message_id, error, now)
    delivery.failed += len(message_ids)
    return delivery


def _connection_lost(error: OSError) -> bool:
    """Return whether the error ends the conversation, rather than refusing one message."""
    refusals = smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused
    return not isinstance(error, refusals)


def _claim(limit: int, now: datetime) -> list[int]:
    """Take the due messages' ids, moving their next try on by the lease, in one write."""
    with write_transaction():
        due = (
            db.session.query(MailMessage)
            .filter(MailMessage.status == MailStatus.QUEUED, MailMessage.next_attempt_at <= now)
            .order_by(MailMessage.next_attempt_at, MailMessage.id)
            .limit(limit)
            .all()
        )
        for message in due:
            message.next_attempt_at = now + LEASE
        ids = [message.id for message in due]
    return ids


def _connect() -> smtplib.SMTP:
    config = current_app.config
    host, port, security = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_SECURITY"]
    if security == "ssl":
        connection = smtplib.SMTP_SSL(
            host, port, timeout=SMTP_TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    else:
        connection = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS)
        if security == "starttls":
            connection.starttls(context=ssl.create_default_context())
    if config["MAIL_USERNAME"]:
        connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    return connection


def _email(message: MailMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=current_app.config["MAIL_FROM"].rpartition("@")[2])
    # Mail the archive sends on its own: out-of-office replies should not answer it (RFC 3834).
    email["Auto-Submitted"] = "auto-generated"
    # Which message this is, for the recipient's filters and the admins' mail log alike.
    email["X-Archive-Template"] = message.template
    email.set_content(message.text_body)
    email.add_alternative(message.html_body, subtype="html")
    return email


def _record_sent(message_id: int) -> None:
    with write_transaction():
        message = db.session.get(MailMessage, message_id)
        message.status = MailStatus.SENT
        message.attempts += 1
        message.sent_at = utc_now()
        message.last_error = ""
        message.text_body = message.html_body = ""


def _record_failure(message_id: int, error: Exception, now: datetime) -> None:
    with write_transaction():
        message = db.session.get(MailMessage, message_id)
        message.attempts += 1
        message.last_error = _describe(error)
        if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            message.status = MailStatus.FAILED
        else:
            wait = min(FIRST_RETRY * 2 ** (message.attempts - 1), LONGEST_RETRY)
            message.next_attempt_at = now + wait
    current_app.logger.warning("mail %s to the SMTP server failed: %s", message_id, error)


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error.decode(errors="replace")
        return f"the mail server refused it: {error.smtp_code} {reply}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()))
        return f"the mail server refused the address: {code} {reply.decode(errors='replace')}"
    return f"the mail server could not be reached: {error}"
