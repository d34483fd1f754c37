"""Fault kinds that FixtureSite.fail queues for requests whose path matches a pattern."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Status:
    """Answer with this status, headers and body instead of the normal response (e.g. 429 + Retry-After)."""

    code: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class Slow:
    """Sleep this many seconds, then answer normally."""

    seconds: float


@dataclass(frozen=True)
class Truncate:
    """Send the normal headers (full Content-Length) but only the first nbytes of the body, then close."""

    nbytes: int


@dataclass(frozen=True)
class Redirect:
    """Answer with a redirect to location (absolute or site-relative)."""

    location: str
    code: int = 302


@dataclass(frozen=True)
class Body:
    """Answer normally but replace the body and Content-Type (status too, when given); drops the ETag."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int | None = None


@dataclass(frozen=True)
class Drip:
    """Answer normally, but send the body (with `headers=True`, the status line and headers too) one byte every
    `interval` seconds: each read succeeds, only the whole response is slow."""

    interval: float
    headers: bool = False


@dataclass(frozen=True)
class Drop:
    """Close the connection without sending any response."""


Fault = Status | Slow | Truncate | Redirect | Body | Drip | Drop
