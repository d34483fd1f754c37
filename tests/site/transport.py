"""HTTP plumbing for the fixture site: the request record, the threading server and its request handler."""

from __future__ import annotations

import contextlib
import socket
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .wire import Response


@dataclass(frozen=True)
class Req:
    """One request as received: method, path with query (as sent), headers with lower-cased names."""

    method: str
    path: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Reply:
    """What the server sends: a response, optionally cut after `truncate` body bytes; None drops the connection."""

    response: Response | None  # None: close the connection without answering
    truncate: int | None = None
    drip: float | None = None  # seconds between single bytes of the body (and the head, with drip_headers)
    drip_headers: bool = False


App = Callable[[Req], Reply]


def utf8_path(path: str) -> str:
    """http.server decodes the request line as Latin-1; undo that for clients that send raw UTF-8 paths."""
    try:
        return path.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return path


class LoopbackServer(ThreadingHTTPServer):
    """A threading server on 127.0.0.1:0 that logs every request and can sever its open connections."""

    daemon_threads = True

    def __init__(self, app: App, log: list[Req]) -> None:
        self.app, self.log = app, log
        self.errors: list[str] = []
        self.conns: set[socket.socket] = set()
        super().__init__(("127.0.0.1", 0), _Handler)

    def process_request(self, request: socket.socket, client_address: tuple[str, int]) -> None:  # type: ignore[override]
        self.conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        self.conns.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exception(), OSError):
            self.errors.append(traceback.format_exc())

    def close_connections(self) -> None:
        """Shut down every open client connection (keep-alive threads then exit)."""
        for conn in list(self.conns):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = 10
    server: LoopbackServer

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def _handle(self) -> None:
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        if length := int(headers.get("content-length", "0") or 0):
            self.rfile.read(length)
        req = Req(self.command, self.path, headers)
        self.server.log.append(req)
        reply = self.server.app(req)
        if reply.response is None:
            self.close_connection = True
            return
        resp = reply.response
        if reply.drip is not None:
            self._drip(resp, reply.drip, reply.drip_headers)
            return
        self.send_response(resp.status)
        for name, value in resp.headers:
            self.send_header(name, value)
        bodyless = resp.status in (204, 304) or resp.status < 200
        if not bodyless:
            self.send_header("Content-Length", str(len(resp.body)))
        if reply.truncate is not None:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and not bodyless:
            self.wfile.write(resp.body if reply.truncate is None else resp.body[: reply.truncate])

    def _drip(self, resp: Response, interval: float, head_too: bool) -> None:
        """Send the response one byte at a time until it is done or the client hangs up."""
        self.close_connection = True
        head = f"HTTP/1.1 {resp.status} Drip\r\n" + "".join(f"{k}: {v}\r\n" for k, v in resp.headers)
        head += f"Content-Length: {len(resp.body)}\r\nConnection: close\r\n\r\n"
        data = head.encode("latin-1") + resp.body
        start = 0 if head_too else len(head)
        try:
            self.wfile.write(data[:start])
            self.wfile.flush()
            for i in range(start, len(data)):
                time.sleep(interval)
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()
        except OSError:  # the client gave up: that is the point
            return

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = _handle  # noqa: N815
