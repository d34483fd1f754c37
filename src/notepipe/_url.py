"""URL keys shared by the config and the HTTP client: a URL's host (rate-limit key) and its origin (allowlist key)."""

from __future__ import annotations

from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def host_of(url: str) -> str:
    """`host` or `host:port`: the key of the per-host request spacing."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)


def origin_of(url: str) -> str:
    """`scheme://host:port` with the default port spelled out: what the allowlist and token scopes compare."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:  # a port that is not a number names no origin we know
        port = None
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}:{port}"
