"""Reading the record of messages for the admins' mail log: where failing mail shows."""

from sqlalchemy import select

from archive.extensions import db
from archive.mail.models import MailMessage, MailStatus

MAIL_LOG_PAGE_SIZE = 50


def mail_log_page(
    status: MailStatus | None = None, before: int | None = None, size: int = MAIL_LOG_PAGE_SIZE
) -> tuple[list[MailMessage], int | None]:
    """Return a page of messages newest first (of one status, if given), from below `before`.

    Also returns the `before` that shows the next, older page, or None on the last one.
    """
    query = select(MailMessage)
    if status is not None:
        query = query.where(MailMessage.status == status)
    if before:
        query = query.where(MailMessage.id < before)
    messages = list(db.session.execute(query.order_by(MailMessage.id.desc()).limit(size)).scalars())
    older = messages[-1].id if len(messages) == size else None
    return messages, older
