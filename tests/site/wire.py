"""The response value and the header helpers (ETag, HTTP dates, conditional requests) all sources share."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


@dataclass
class Response:
    """What a route answers: status, body and headers in order (Content-Length is added by the server)."""

    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        """The first header called name (case-insensitive), if any."""
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def json_bytes(value: object) -> bytes:
    """Compact UTF-8 JSON, as the real APIs send it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(status: int, value: object, headers: list[tuple[str, str]] | None = None) -> Response:
    """A JSON response with the usual Content-Type."""
    return Response(status, json_bytes(value), [("Content-Type", JSON_TYPE), *(headers or [])])


def digest(body: bytes) -> str:
    """A stable hex digest of body (for ETags)."""
    return hashlib.sha256(body).hexdigest()[:32]


def weak_etag(body: bytes) -> str:
    """W/"<hash of body>"."""
    return f'W/"{digest(body)}"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison of an If-None-Match list against etag."""

    def opaque(tag: str) -> str:
        tag = tag.strip()
        return tag[2:] if tag.startswith("W/") else tag

    return any(tag.strip() == "*" or opaque(tag) == opaque(etag) for tag in if_none_match.split(","))


def http_date(moment: datetime) -> str:
    """RFC 9110 IMF-fixdate, e.g. 'Mon, 03 Feb 2025 12:00:00 GMT'."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def not_modified(headers: dict[str, str], etag: str, last_modified: datetime | None = None) -> bool:
    """True when the conditional request headers show the client's copy is current (If-None-Match wins)."""
    if "if-none-match" in headers:
        return etag_matches(headers["if-none-match"], etag)
    since = headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    try:
        client = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    return client.tzinfo is not None and last_modified.replace(microsecond=0) <= client
