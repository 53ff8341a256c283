"""A real SMTP server on localhost (aiosmtpd) that keeps what it receives, for the mail tests."""
import re
import socket
import time
from email import policy
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """aiosmtpd handler: accepted messages, parsed; can answer 451 or 550 on demand."""

    def __init__(self):
        self.messages = []
        self.refuse_next = 0          # answer "451 try again later" to this many messages
        self.refuse_for_good = False  # answer "550 mailbox unavailable"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.refuse_for_good:
            return "550 5.1.1 Mailbox unavailable"
        if self.refuse_next > 0:
            self.refuse_next -= 1
            return "451 4.3.0 Try again later"
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content or envelope.content)
        message.envelope_to = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def reset(self):
        self.messages.clear()
        self.refuse_next, self.refuse_for_good = 0, False

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m.envelope_to]

    def wait_for(self, address: str, count: int = 1, timeout: float = 20.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.to(address)) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.to(address)


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", text_of(message))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def mailbox(app, smtp_server):
    """The test app sends to the SMTP server above; retries come at once."""
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_RETRY_INTERVALS")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_RETRY_INTERVALS=[0, 0])
    smtp_server.reset()
    yield smtp_server
    app.config.update(saved)
    smtp_server.reset()


def run_mail_jobs(app) -> None:
    """The mail queue's jobs, in this process (SimpleWorker: no fork), until the queue is empty."""
    from rq import SimpleWorker

    from regionet.workers.queues import MAIL, get_queue, redis_connection

    with app.app_context():
        SimpleWorker([get_queue(MAIL)], connection=redis_connection()).work(burst=True)
