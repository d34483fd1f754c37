"""What every extractor returns, and the shared input type."""

from __future__ import annotations

from dataclasses import dataclass, field

from notepipe.models import Source


@dataclass(frozen=True, slots=True)
class Input:
    """One decoded input document: its text plus where it came from."""

    text: str
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Extracted:
    """A post as an extractor found it: metadata plus the body (markdown or plain lines) without chrome."""

    body: str
    format: str
    source: Source = "unknown"
    title: str | None = None
    author: str | None = None
    published_at: str | None = None
    updated_at: str | None = None
    url: str | None = None
    native_id: str | None = None
    tags: tuple[str, ...] = ()
    front_matter: str | None = field(default=None, repr=False)
