"""`flask send-mail`: deliver the queued messages that are due, once or as a worker.

`flask notify`: queue the day's reminders and digests (every receiver of daily_notices).
"""

import time
from datetime import date

import click
from flask import Flask, current_app

from archive.core.database import write_transaction
from archive.core.signals import daily_notices
from archive.mail.delivery import MailNotConfigured, deliver_due
from archive.mail.models import MailCategory
from archive.mail.outbox import queue_mail


def init_app(app: Flask) -> None:
    """Register the mail command on the app."""
    app.cli.add_command(send_mail_command)
    app.cli.add_command(notify_command)


@click.command("notify")
@click.option("--day", type=click.DateTime(["%Y-%m-%d"]), help="Act as on this day (YYYY-MM-DD).")
def notify_command(day):
    """Queue the day's reminders and digests; `send-mail` then sends them."""
    today = day.date() if day else date.today()
    with write_transaction():
        results = daily_notices.send(today)
    for receiver, queued in results:
        click.echo(f"{receiver.__name__.replace('_', ' ')}: {queued} queued")
    total = sum(queued for _, queued in results)
    click.echo(f"Queued {total} message{'' if total == 1 else 's'} for {today:%-d %B %Y}.")


@click.command("send-mail")
@click.option("--watch", is_flag=True, help="Keep running, sending messages as they are due.")
@click.option("--check", metavar="ADDRESS", help="First queue a message to ADDRESS, to test.")
def send_mail_command(watch: bool, check: str | None):
    """Send the queued messages that are due (from cron), or keep sending them (--watch)."""
    if check:
        with write_transaction():
            server = f"{current_app.config['MAIL_SERVER']}:{current_app.config['MAIL_PORT']}"
            queue_mail(check, "check", MailCategory.ACCOUNT, server=server)
    while True:
        try:
            delivery = deliver_due()
        except MailNotConfigured as error:
            raise click.ClickException(str(error)) from None
        if delivery.sent or delivery.failed or not watch:
            click.echo(f"Sent {delivery.sent}; {delivery.failed} to try again or given up on.")
        if not watch:
            return
        time.sleep(current_app.config["MAIL_POLL_SECONDS"])
