"""A loopback fixture site serving Qiita, Hatena Blog and GitHub shapes with our own content, plus faults."""

from __future__ import annotations

from .faults import Body, Drip, Drop, Fault, Redirect, Slow, Status, Truncate
from .server import DEFAULT_ROBOTS, FixtureSite, Req

__all__ = ["DEFAULT_ROBOTS", "Body", "Drip", "Drop", "Fault", "FixtureSite", "Redirect", "Req", "Slow", "Status", "Truncate"]
