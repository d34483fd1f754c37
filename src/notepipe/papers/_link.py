"""Merge title and ID mentions into distinct papers: pairing, case-insensitive dedup, first-mention order."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from notepipe.models import Paper
from notepipe.papers._bib import Meta


@dataclass(slots=True)
class Mention:
    """One sighting of a paper: a title and/or an arXiv ID, where it was seen, and what came with it."""

    pos: int  # line * LINE_STRIDE + column: orders mentions by first appearance
    title: str | None = None
    arxiv_id: str | None = None
    meta: Meta = field(default_factory=Meta)
    rule: str = ""


LINE_STRIDE = 1_000_000


def title_key(title: str) -> str:
    """Dedup key: NFKC, case-folded, letters and digits only (`AUGMIX: A ...` == `AugMix: A ...`)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", title).casefold() if ch.isalnum())


@dataclass(slots=True)
class _Entry:
    pos: int
    title: str | None
    arxiv_id: str | None
    meta: Meta
    keys: set[str]


def _shout(title: str) -> bool:
    letters = [c for c in title if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) > 12


def _same_title(a: str, b: str) -> bool:
    """Equal keys, or one a long prefix of the other (a title cut short or with a trailing tag)."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 20 and long_.startswith(short) and len(short) >= 0.85 * len(long_)


class _Index:
    """Papers seen so far, findable by title key and by ID."""

    def __init__(self) -> None:
        self.entries: list[_Entry] = []
        self.by_id: dict[str, _Entry] = {}

    def find_title(self, key: str) -> _Entry | None:
        for e in self.entries:
            if any(_same_title(key, k) for k in e.keys):
                return e
        return None

    def add(self, m: Mention) -> None:
        key = title_key(m.title) if m.title else ""
        by_title = self.find_title(key) if key else None
        by_id = self.by_id.get(m.arxiv_id) if m.arxiv_id else None
        entry = by_id or by_title
        if by_id is not None and by_title is not None and by_id is not by_title:
            if by_title.arxiv_id is None:
                self._absorb(by_id, by_title)
            entry = by_id
        if entry is None:
            entry = _Entry(m.pos, m.title, m.arxiv_id, Meta(list(m.meta.authors), m.meta.venue, m.meta.year),
                           {key} if key else set())
            self.entries.append(entry)
        else:
            self._update(entry, m, key)
        if entry.arxiv_id:
            self.by_id.setdefault(entry.arxiv_id, entry)

    def _update(self, entry: _Entry, m: Mention, key: str) -> None:
        entry.pos = min(entry.pos, m.pos)
        if m.title and (entry.title is None or (_shout(entry.title) and not _shout(m.title))):
            entry.title = m.title
        if key:
            entry.keys.add(key)
        if m.arxiv_id and entry.arxiv_id is None:
            entry.arxiv_id = m.arxiv_id
        entry.meta.merge(m.meta)

    def _absorb(self, into: _Entry, other: _Entry) -> None:
        """`other` (title, no ID) turns out to be the paper `into` has the ID of: merge it in."""
        into.pos = min(into.pos, other.pos)
        if into.title is None:
            into.title = other.title
        into.keys |= other.keys
        into.meta.merge(other.meta)
        self.entries.remove(other)


def link(mentions: list[Mention]) -> list[Paper]:
    """Distinct papers in order of first mention; paired mentions first so an ID finds its title."""
    index = _Index()
    ordered = sorted(mentions, key=lambda m: (0 if (m.title and m.arxiv_id) else 1, m.pos))
    for m in ordered:
        index.add(m)
    index.entries.sort(key=lambda e: e.pos)
    return [
        Paper(title=e.title, arxiv_id=e.arxiv_id, authors=e.meta.authors, venue=e.meta.venue, year=e.meta.year)
        for e in index.entries
    ]
