"""A tiny DNS server for the proxy tests: it answers A queries for the names it is given (UDP, on a free
port of 127.0.0.1), as Docker's embedded DNS (127.0.0.11) answers `web` with the address of every replica
of the `web` service. The test changes the answer while nginx runs, as `--scale web=N` does."""
import socket
import struct
import threading


class FakeDNS:
    def __init__(self, records: dict[str, list[str]]):
        self.records = {name.lower().rstrip("."): list(addresses) for name, addresses in records.items()}
        self.queries = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> "FakeDNS":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.sock.close()

    def set(self, name: str, addresses: list[str]) -> None:
        self.records[name.lower().rstrip(".")] = list(addresses)

    def _serve(self) -> None:
        while True:
            try:
                query, peer = self.sock.recvfrom(512)
            except OSError:
                return
            try:
                self.sock.sendto(self.answer(query), peer)
            except (OSError, ValueError, struct.error):
                continue

    def answer(self, query: bytes) -> bytes:
        ident, _flags, _qd, _an, _ns, _ar = struct.unpack("!6H", query[:12])
        labels, offset = [], 12
        while query[offset]:
            length = query[offset]
            labels.append(query[offset + 1:offset + 1 + length].decode().lower())
            offset += 1 + length
        question_end = offset + 5
        qtype, _qclass = struct.unpack("!2H", query[offset + 1:question_end])
        question = query[12:question_end]
        addresses = self.records.get(".".join(labels))
        self.queries += 1
        if addresses is None:   # NXDOMAIN
            return struct.pack("!6H", ident, 0x8183, 1, 0, 0, 0) + question
        answers = [] if qtype != 1 else addresses   # only A records (nginx: ipv6=off)
        body = b"".join(struct.pack("!HHHLH", 0xC00C, 1, 1, 1, 4) + socket.inet_aton(a) for a in answers)
        return struct.pack("!6H", ident, 0x8180, 1, len(answers), 0, 0) + question + body
