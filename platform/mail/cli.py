"""`flask --app wsgi mail send-pending|test`: the operator's levers on outgoing mail."""
import sys

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..extensions import db
from .models import MailStatus, OutgoingMail

mail_cli = AppGroup("mail", help="Outgoing e-mail.")


@mail_cli.command("send-pending")
@click.option("--failed", "include_failed", is_flag=True, help="Also messages that failed (after fixing the cause).")
@click.option("--older-than", default=300, show_default=True, help="Only messages written this many seconds ago.")
def send_pending(include_failed, older_than):
    """Queue again messages still waiting (Redis was down when they were written) or failed."""
    from .services import do_requeue_mail

    statuses = (MailStatus.QUEUED, MailStatus.FAILED) if include_failed else (MailStatus.QUEUED,)
    queued = do_requeue_mail(statuses, older_than_seconds=older_than)
    click.echo(f"queued again: {queued}")


@mail_cli.command("status")
def status():
    """How many messages are in each state."""
    rows = db.session.execute(select(OutgoingMail.status, func.count()).group_by(OutgoingMail.status)).all()
    for state, count in sorted(rows, key=lambda r: r[0].value):
        click.echo(f"{state.value:<10} {count}")


@mail_cli.command("test")
@click.argument("address")
def send_test(address):
    """Send a test message to ADDRESS at once (not through the queue), to check the SMTP settings."""
    from .delivery import deliver
    from .services import send_mail

    message = send_mail(address, "mail/test")
    db.session.commit()
    result = deliver(message.id)
    click.echo(f"{result}: {message.to_address}")
    sys.exit(0 if result == MailStatus.SENT.value else 1)
