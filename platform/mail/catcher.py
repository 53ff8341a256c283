"""A local mail catcher for `make run`: an SMTP server that keeps every message.

    python -m regionet.platform.mail.catcher --smtp-port 1025 --http-port 1080 --dir instance/mail

Messages are saved as .eml files, printed to the console (sender, recipient, subject and the
text, links included) and listed at http://127.0.0.1:<http-port>/ for reading in a browser.
Nothing leaves the machine. Not for production: there, MAIL_SERVER names a real relay.
"""
import argparse
import html
import signal
import threading
import time
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller


class SaveMessages:
    """aiosmtpd handler: every accepted message becomes a numbered .eml file."""

    def __init__(self, folder: Path, echo: bool = True):
        self.folder = folder
        self.echo = echo
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{time.monotonic_ns() % 10**9:09d}.eml"
        path = self.folder / name
        path.write_bytes(envelope.original_content or envelope.content)
        if self.echo:
            message = read_message(path)
            print(f"\n=== mail to {', '.join(envelope.rcpt_tos)}: {message['subject']}\n{text_of(message)}\n===",
                  flush=True)
        return "250 Message accepted for delivery"


def read_message(path: Path):
    with path.open("rb") as handle:
        return BytesParser(policy=policy.default).parse(handle)


def text_of(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


def _page(title: str, body: str) -> bytes:
    return (f"<!doctype html><html lang='pl'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
            "pre{white-space:pre-wrap;background:#f5f5f5;padding:1rem}td{padding:.3rem .6rem}</style>"
            f"</head><body>{body}</body></html>").encode()


def make_http_handler(folder: Path):
    class Inbox(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's hook name
            files = sorted(folder.glob("*.eml"), reverse=True)
            name = self.path.strip("/")
            if not name:
                rows = "".join(
                    f"<tr><td>{html.escape(m['date'] or '')}</td><td>{html.escape(m['to'] or '')}</td>"
                    f"<td><a href='/{f.name}'>{html.escape(m['subject'] or '(no subject)')}</a></td></tr>"
                    for f, m in ((f, read_message(f)) for f in files[:200]))
                self._send(_page("Poczta lokalna", f"<h1>Poczta lokalna ({len(files)})</h1>"
                                 f"<table>{rows or '<tr><td>Brak wiadomości.</td></tr>'}</table>"))
                return
            match = next((f for f in files if f.name == name), None)
            if match is None:
                self.send_error(404)
                return
            message = read_message(match)
            headers = "".join(f"<tr><th>{k}</th><td>{html.escape(str(message[k] or ''))}</td></tr>"
                              for k in ("From", "To", "Subject", "Date"))
            self._send(_page(message["subject"] or "", f"<p><a href='/'>&larr; Poczta lokalna</a></p>"
                             f"<table>{headers}</table><pre>{html.escape(text_of(message))}</pre>"))

        def _send(self, content: bytes):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *args):
            pass

    return Inbox


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m regionet.platform.mail.catcher")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--http-port", type=int, default=1080)
    parser.add_argument("--dir", default="instance/mail")
    args = parser.parse_args(argv)
    folder = Path(args.dir)
    controller = Controller(SaveMessages(folder), hostname=args.host, port=args.smtp_port)
    controller.start()
    web = ThreadingHTTPServer((args.host, args.http_port), make_http_handler(folder))
    threading.Thread(target=web.serve_forever, daemon=True).start()
    print(f" * mail catcher: SMTP {args.host}:{args.smtp_port}, messages at http://{args.host}:{args.http_port}/",
          flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    web.shutdown()
    controller.stop()


if __name__ == "__main__":
    main()
