"""The polite HTTP client: origin allowlist, per-origin tokens, per-host rate, robots.txt, retries, deadlines, caps."""

from __future__ import annotations

import json
import logging
import random
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from protego import Protego
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from notepipe._url import host_of, origin_of
from notepipe.config import HttpConfig
from notepipe.errors import (
    FetchError,
    HostNotAllowedError,
    RateLimitedError,
    RobotsDisallowedError,
    TooLargeError,
    UnreachableError,
)
from notepipe.raw_store import RawStore

__all__ = [
    "ROBOTS_AGENT", "FetchError", "HostLimiter", "HostNotAllowedError", "PoliteClient", "RateLimitedError", "Response",
    "RobotsDisallowedError", "TooLargeError", "UnreachableError", "host_of", "in_scope", "origin_of", "shared_limiter",
]

log = logging.getLogger("notepipe.http")

_MAX_REDIRECTS = 5
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
ROBOTS_AGENT = "notepipe"


class _TransientError(Exception):
    def __init__(self, url: str, reason: str, retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(reason)
        self.url, self.reason, self.retry_after, self.status = url, reason, retry_after, status


@dataclass(frozen=True, slots=True)
class Response:
    """A finished 2xx or 304 response with its whole (capped, decompressed) body."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes = b""

    @property
    def not_modified(self) -> bool:
        """True for a 304: what we hold is current."""
        return self.status == 304

    @property
    def etag(self) -> str | None:
        """The `ETag` header, if any."""
        return self._header("etag")

    @property
    def last_modified(self) -> str | None:
        """The `Last-Modified` header, if any."""
        return self._header("last-modified")

    @property
    def media_type(self) -> str | None:
        """The `Content-Type` header as served."""
        return self._header("content-type")

    def _header(self, name: str) -> str | None:
        value: str | None = self.headers.get(name)  # httpx types Headers.get as Any; the values are str
        return value

    @property
    def links(self) -> dict[str | None, dict[str, str]]:
        """The `Link` header parsed by httpx, keyed by `rel` (e.g. `links["next"]["url"]`)."""
        return httpx.Response(self.status, headers=self.headers).links

    def json(self) -> Any:
        """The body as JSON; a clear FetchError if it is not (e.g. an HTML error page)."""
        try:
            return json.loads(self.content)
        except (ValueError, UnicodeDecodeError) as exc:
            kind = self.media_type or "no content type"
            raise FetchError(self.url, f"expected JSON, got {kind} that does not parse ({exc})",
                             self.status) from None


def in_scope(url: str, base: str) -> bool:
    """True when `url` is on `base`'s origin and at or below its path (`/api/v2` does not cover `/api/v2x`)."""
    if origin_of(url) != origin_of(base):
        return False
    path, prefix = urlsplit(url).path, urlsplit(base).path.rstrip("/")
    return not prefix or path == prefix or path.startswith(prefix + "/")


# The monotonic time the current request must be done by. Requests are synchronous, so one per thread (context)
# is in flight; the socket layer below reads it to cut every connect, read and write at the deadline.
_DEADLINE: ContextVar[float | None] = ContextVar("notepipe_request_deadline", default=None)


def _clamp(timeout: float | None, error: type[Exception]) -> float | None:
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the request deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write waits no longer than the request's deadline allows."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname,
                                                     _clamp(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend with connects (and the streams they open) bounded by the request deadline."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.connect_tcp(host, port, _clamp(timeout, httpcore.ConnectTimeout),
                                                       local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.connect_unix_socket(path, _clamp(timeout, httpcore.ConnectTimeout),
                                                               socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _DeadlineTransport(httpx.HTTPTransport):
    """httpx's own transport on the deadline backend. httpx.Timeout bounds each socket operation, not the whole
    request (a server dripping one byte a second never trips it); the backend bounds the sum."""

    def __init__(self) -> None:
        super().__init__()
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
            network_backend=_DeadlineBackend(),
        )


@dataclass
class HostLimiter:
    """Spaces requests to each host at least `1/rate` seconds apart (thread-safe); `pause` defers a host."""

    rate: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next: dict[str, float] = field(default_factory=dict)
    _interval: dict[str, float] = field(default_factory=dict)
    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def slow_down(self, host: str, interval: float) -> None:
        """Never request `host` more often than every `interval` s (robots.txt Crawl-delay)."""
        self._interval[host] = max(interval, 1 / self.rate)

    def pause(self, host: str, seconds: float) -> None:
        """No request to `host` for `seconds` (Retry-After, rate-limit reset)."""
        with self._guard:
            self._next[host] = max(self._next.get(host, 0.0), self.clock() + seconds)

    def wait(self, host: str) -> None:
        """Block until `host` may be requested again, then book the next slot."""
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            delay = self._next.get(host, 0.0) - self.clock()
            if delay > 0:
                self.sleep(delay)
            self._next[host] = self.clock() + self._interval.get(host, 1 / self.rate)


_SHARED: dict[float, HostLimiter] = {}
_SHARED_GUARD = threading.Lock()


def shared_limiter(rate: float) -> HostLimiter:
    """The process-wide limiter for `rate`: every client (every source, every Prefect task thread) in this
    process that talks to one host shares that host's spacing."""
    with _SHARED_GUARD:
        return _SHARED.setdefault(rate, HostLimiter(rate))


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class PoliteClient:
    """One source's client: it fetches only from `origins` (`scheme://host:port`, see `origin_of`) and sends each
    token in `tokens` (base URL → token) only to URLs under that base. Pass `store` to keep robots.txt between
    runs; swap `transport` in tests (the per-request deadline is then checked between body chunks only)."""

    def __init__(self, config: HttpConfig, origins: Iterable[str], *, store: RawStore | None = None,
                 tokens: Mapping[str, str | None] | None = None, transport: httpx.BaseTransport | None = None,
                 limiter: HostLimiter | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.config = config
        self.allowlist = {origin_of(o) for o in origins}
        self.tokens = {base: token for base, token in (tokens or {}).items() if token}
        self.store = store
        self.requests = 0
        self._sleep = sleep
        self.limiter = limiter or (
            shared_limiter(config.requests_per_second) if sleep is time.sleep
            else HostLimiter(config.requests_per_second, sleep=sleep)  # a test's recorded sleeps stay its own
        )
        self._robots: dict[str, Protego] = {}
        self._client = httpx.Client(
            transport=transport or _DeadlineTransport(),
            timeout=httpx.Timeout(config.timeout_s),
            follow_redirects=False,
            headers={"User-Agent": config.user_agent()},
            event_hooks={"request": [self._authorize]},  # every hop, redirects included, passes through here
        )

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    # -- public -------------------------------------------------------------------------------------------

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: str | None = None, page: bool = False) -> Response:
        """GET `url` politely. Returns a 2xx or 304 Response; raises FetchError (or a subclass) otherwise.

        `page=True` marks a web page (not an API): robots.txt of its host is obeyed. Each attempt (redirects
        included) has `deadline_s` to finish; past it, it is a timeout retried like any other.
        """
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        self._check_host(url, url)
        if page:
            self._check_robots(url)
        retrying = Retrying(
            stop=stop_after_attempt(self.config.retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type(_TransientError),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return self._follow(url, headers)
        except _TransientError as exc:
            raise UnreachableError(exc.url, f"{exc.reason} (gave up after {self.config.retries + 1} attempts)",
                                   exc.status) from None
        raise AssertionError("unreachable")  # pragma: no cover

    # -- internals ----------------------------------------------------------------------------------------

    def _wait(self, state: RetryCallState) -> float:
        backoff = self.config.backoff_s * 2.0 ** (state.attempt_number - 1)
        delay = backoff * (0.5 + random.random() / 2)  # jitter spreads retries out; not security
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _TransientError) and exc.retry_after is not None:
            delay = max(delay, exc.retry_after)
        log.info("retrying %s in %.1f s", exc.url if isinstance(exc, _TransientError) else "request", delay)
        return delay

    def _authorize(self, request: httpx.Request) -> None:
        """Attach the token whose base covers this URL, and no other (a token never leaves its API)."""
        request.headers.pop("Authorization", None)
        url = str(request.url)
        token = next((t for base, t in self.tokens.items() if in_scope(url, base)), None)
        if token:
            request.headers["Authorization"] = f"Bearer {token}"

    def _check_host(self, url: str, origin: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"}:
            raise HostNotAllowedError(origin, f"refusing {parts.scheme or 'a relative'} URL {url!r}: only http(s)")
        if origin_of(url) not in self.allowlist:
            raise HostNotAllowedError(
                origin, f"{origin_of(url)} is not one of this source's configured origins "
                        f"({', '.join(sorted(self.allowlist))}); another source's or an unknown host is never fetched"
            )

    def _follow(self, url: str, headers: dict[str, str]) -> Response:
        # Hops are followed here, not by httpx's follow_redirects, which reads each redirect's body whole (no
        # max_bytes cap): here every hop is one `_once`, with its own rate-limit slot, deadline and size cap.
        current = url
        for _ in range(_MAX_REDIRECTS + 1):
            resp = self._once(current, headers)
            if resp.status in {301, 302, 303, 307, 308}:
                location = resp.headers.get("location")
                if not location:
                    raise FetchError(current, f"HTTP {resp.status} redirect without a Location", resp.status)
                target = urljoin(current, location)
                self._check_host(target, current)
                log.info("redirect %s → %s", current, target)
                current = target
                continue
            return resp
        raise FetchError(url, f"more than {_MAX_REDIRECTS} redirects")

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        host = host_of(url)
        self.limiter.wait(host)
        self.requests += 1
        cap = self.config.max_bytes
        deadline = time.monotonic() + self.config.deadline_s
        bound = _DEADLINE.set(deadline)
        try:
            with self._client.stream("GET", url, headers=headers) as resp:
                status = resp.status_code
                log.debug("GET %s → %d", url, status)
                if status == 429 or status >= 500:
                    wait = _retry_after(resp.headers.get("retry-after"))
                    self._maybe_give_up(url, status, wait)
                    if wait is not None:
                        self.limiter.pause(host, wait)
                    raise _TransientError(url, f"HTTP {status}", wait, status)
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > cap:
                    raise TooLargeError(url, f"Content-Length {declared} exceeds max_bytes={cap}", status)
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > cap:
                        raise TooLargeError(url, f"body exceeds max_bytes={cap} (after decompression)", status)
                    if time.monotonic() > deadline:  # a transport without the deadline backend (tests)
                        raise httpx.ReadTimeout("the request deadline passed")
                    chunks.append(chunk)
                body = b"".join(chunks)
        except httpx.DecodingError as exc:
            raise FetchError(url, f"the body could not be decoded ({type(exc).__name__}: {exc})") from None
        except httpx.ConnectError as exc:
            if _is_dns_failure(exc):  # retrying will not make an unknown or unresolvable name resolve
                raise UnreachableError(url, f"cannot resolve host {host} (offline, or a wrong base URL?)") from None
            raise _TransientError(url, f"ConnectError: {exc}") from None
        except (httpx.TransportError, httpx.StreamError) as exc:
            if time.monotonic() >= deadline:
                raise _TransientError(url, f"{type(exc).__name__}: the whole request (connect, headers, body) "
                                           f"took over deadline_s={self.config.deadline_s:g} s") from None
            raise _TransientError(url, f"{type(exc).__name__}: {exc}") from None
        finally:
            _DEADLINE.reset(bound)
        response = Response(url=url, status=status, headers=resp.headers, content=body)
        if status in {301, 302, 303, 307, 308} or 200 <= status < 300 or status == 304:
            return response
        raise FetchError(url, _status_message(response), status)

    def _maybe_give_up(self, url: str, status: int, wait: float | None) -> None:
        if wait is not None and wait > self.config.max_wait_s:
            raise RateLimitedError(url, f"HTTP {status}: asked to wait {wait:.0f} s (> max_wait_s="
                              f"{self.config.max_wait_s:.0f}); resume later", time.time() + wait, status)

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(root)
        if rules is None:
            rules = self._robots[root] = self._load_robots(root)
        if not rules.can_fetch(url, ROBOTS_AGENT):
            raise RobotsDisallowedError(url, f"disallowed by {root}/robots.txt for user agent {ROBOTS_AGENT!r}")
        delay = rules.crawl_delay(ROBOTS_AGENT)
        if delay:
            self.limiter.slow_down(host_of(url), float(delay))

    def _load_robots(self, root: str) -> Protego:
        name = f"robots-{host_of(root)}"
        saved = self.store.load_state(name) if self.store else {}
        if saved and time.time() - saved.get("fetched_epoch", 0) < self.config.robots_ttl_s:
            return Protego.parse(saved.get("text", ""))
        url = f"{root}/robots.txt"
        try:
            resp = self.get(url)
            text = resp.content.decode("utf-8", "replace")
        except UnreachableError as exc:
            if exc.status is None:
                raise  # the host is unreachable: so is every page on it
            # 5xx after retries: RFC 9309 says assume complete disallow. Not saved: retried next run.
            log.warning("%s unreachable (%s); treating every path as disallowed", url, exc)
            return Protego.parse("User-agent: *\nDisallow: /\n")
        except FetchError as exc:
            if exc.status is None or not 400 <= exc.status < 500:
                raise
            text = ""  # RFC 9309: an unavailable robots.txt (4xx) allows everything
        if self.store is not None:
            self.store.save_state(name, {"url": url, "fetched_epoch": int(time.time()), "text": text})
        return Protego.parse(text)


def _is_dns_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return True
        seen = seen.__cause__ or seen.__context__
    return "name resolution" in str(exc) or "Name or service not known" in str(exc)


def _status_message(resp: Response) -> str:
    detail = ""
    try:
        data = json.loads(resp.content)
        if isinstance(data, dict) and isinstance(data.get("message"), str):
            detail = f": {data['message'][:200]}"
    except (ValueError, UnicodeDecodeError):
        pass
    hint = {401: " (check the API token in the environment)", 403: " (forbidden or rate-limited)",
            404: " (not found: check the user, blog or repository name)"}.get(resp.status, "")
    return f"HTTP {resp.status}{detail}{hint}"
