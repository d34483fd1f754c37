"""Step 3 of 3: accepted mentions merged into distinct papers: pairing, deduplication, the reviewed paper's link."""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from dataclasses import dataclass, field

from notepipe.models import Paper
from notepipe.text import title_key


@dataclass(slots=True)
class Meta:
    """Authors, venue and year found with a title."""

    authors: list[str] = field(default_factory=list)
    venue: str | None = None
    year: int | None = None

    def merge(self, other: Meta) -> None:
        """Fill the fields still missing from `other`."""
        self.authors = self.authors or other.authors
        self.venue = self.venue or other.venue
        self.year = self.year or other.year


@dataclass(slots=True)
class Mention:
    """One accepted sighting of a paper: a title and/or an arXiv ID, where it was seen, and what came with it."""

    pos: int  # source line * LINE_STRIDE + order: orders mentions by first appearance
    title: str | None = None
    arxiv_id: str | None = None
    meta: Meta = field(default_factory=Meta)
    rule: str = ""
    role: str = "cited"


@dataclass(slots=True)
class _Entry:
    pos: int
    title: str | None
    arxiv_id: str | None
    meta: Meta
    keys: set[str]
    role: str = "cited"


def _shout(title: str) -> bool:
    letters = [c for c in title if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) > 12


_MIN_PREFIX = 20  # a key this long that starts another key of at most 1/0.85 its length is the same title
_PREFIX_RATIO = 0.85


class _Index:
    """Papers seen so far, findable by title key (exact, or one key a long prefix of the other) and by ID."""

    def __init__(self) -> None:
        self.entries: list[_Entry] = []
        self.by_id: dict[str, _Entry] = {}
        self.by_key: dict[str, _Entry] = {}
        self.keys: list[str] = []  # sorted, for prefix look-ups

    def find_title(self, key: str) -> _Entry | None:
        hit = self.by_key.get(key)
        if hit is not None or len(key) < _MIN_PREFIX:
            return hit
        for n in range(max(_MIN_PREFIX, math.ceil(_PREFIX_RATIO * len(key))), len(key)):
            hit = self.by_key.get(key[:n])  # a known title that is a prefix of this one
            if hit is not None:
                return hit
        i = bisect_left(self.keys, key)  # a known title that this one is a prefix of
        while i < len(self.keys) and self.keys[i].startswith(key):
            if len(key) >= _PREFIX_RATIO * len(self.keys[i]):
                return self.by_key[self.keys[i]]
            i += 1
        return None

    def _index_key(self, key: str, entry: _Entry) -> None:
        entry.keys.add(key)
        if key not in self.by_key:
            self.by_key[key] = entry
            insort(self.keys, key)

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
            entry = _Entry(m.pos, m.title, m.arxiv_id, Meta(list(m.meta.authors), m.meta.venue, m.meta.year), set(),
                           m.role)
            self.entries.append(entry)
        else:
            self._update(entry, m)
        if key:
            self._index_key(key, entry)
        if entry.arxiv_id:
            self.by_id.setdefault(entry.arxiv_id, entry)

    def _update(self, entry: _Entry, m: Mention) -> None:
        entry.pos = min(entry.pos, m.pos)
        if m.role == "reviewed":
            entry.role = "reviewed"
        if m.title and (entry.title is None or (entry.role != "reviewed" and _shout(entry.title)
                                                and not _shout(m.title))):
            entry.title = m.title
        if m.arxiv_id and entry.arxiv_id is None:
            entry.arxiv_id = m.arxiv_id
        entry.meta.merge(m.meta)

    def _absorb(self, into: _Entry, other: _Entry) -> None:
        """`other` (title, no ID) turns out to be the paper `into` has the ID of: merge it in."""
        into.pos = min(into.pos, other.pos)
        if other.role == "reviewed":
            into.role = "reviewed"
        if into.title is None or other.role == "reviewed":
            into.title = other.title
        for k in other.keys:
            self.by_key[k] = into
        into.keys |= other.keys
        into.meta.merge(other.meta)
        self.entries.remove(other)


def link(mentions: list[Mention], primary_id: str | None = None) -> list[Paper]:
    """Distinct papers in order of first mention; paired mentions first so an ID finds its title.

    The reviewed paper (at most one) absorbs any other mention whose title is a long part of its own
    (`Optimal Speed and Accuracy of Object Detection` in a post titled `YOLOv4 Optimal Speed and ...`), and,
    when it still has no ID, takes `primary_id` (the post's own paper link) unless another paper holds it.
    """
    index = _Index()
    ordered = sorted(mentions, key=lambda m: (0 if m.role == "reviewed" else 1, 0 if (m.title and m.arxiv_id) else 1,
                                              m.pos))
    for m in ordered:
        index.add(m)
    reviewed = next((e for e in index.entries if e.role == "reviewed"), None)
    if reviewed is not None:
        _absorb_parts(index, reviewed)
        if reviewed.arxiv_id is None and primary_id is not None:
            holder = index.by_id.get(primary_id)
            if holder is None or (holder.title is None and holder is not reviewed):
                if holder is not None:
                    index.entries.remove(holder)
                    reviewed.pos = min(reviewed.pos, holder.pos)
                reviewed.arxiv_id = primary_id
                index.by_id[primary_id] = reviewed
    index.entries.sort(key=lambda e: e.pos)
    return [
        Paper(title=e.title, arxiv_id=e.arxiv_id, authors=e.meta.authors, venue=e.meta.venue, year=e.meta.year,
              role="reviewed" if e.role == "reviewed" else "cited")
        for e in index.entries
    ]


_PART_MIN = 20  # a title key at least this long, inside the reviewed title's key, names the same paper
_PART_RATIO = 0.6


def _absorb_parts(index: _Index, reviewed: _Entry) -> None:
    keys = [k for k in reviewed.keys if k]
    for entry in list(index.entries):
        if entry is reviewed or entry.title is None:
            continue
        key = title_key(entry.title)
        if len(key) < _PART_MIN or (entry.arxiv_id and reviewed.arxiv_id and entry.arxiv_id != reviewed.arxiv_id):
            continue
        if any((key in k and len(key) >= _PART_RATIO * len(k)) or (k in key and len(k) >= _PART_RATIO * len(key))
               for k in keys):
            index.entries.remove(entry)
            reviewed.pos = min(reviewed.pos, entry.pos)
            if reviewed.arxiv_id is None and entry.arxiv_id:
                reviewed.arxiv_id = entry.arxiv_id
                index.by_id[entry.arxiv_id] = reviewed
            reviewed.meta.merge(entry.meta)
