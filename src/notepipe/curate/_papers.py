"""The papers index: one row per distinct paper across all records, keyed by arXiv ID, else by title."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from notepipe.models import Paper
from notepipe.text import title_key

_NON_WORD = re.compile(r"[\W_]+")


def normalized_title(title: str) -> str:
    """NFKC, case-folded, runs of whitespace and punctuation collapsed to one space: the `title:` key."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", title).casefold()).strip()


class PaperRow(BaseModel):
    """One row of the papers index: the contract of `papers.jsonl` and `data/papers.parquet` (its Arrow schema and
    the card's features are derived from this model, so a new column is added here and in `paper_index` only)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(description="`arxiv:<id>`, or `title:<normalized title>` for a paper without a known arXiv ID")
    arxiv_id: str | None = Field(default=None, description="versionless arXiv ID, or null")
    title: str | None = Field(default=None, description="the title posts write most often, or null")
    titles: list[str] = Field(default_factory=list, description="every title posts write for it, sorted")
    authors: list[str] = Field(default_factory=list, description="authors as the first post naming them lists them")
    venue: str | None = None
    year: int | None = None
    post_ids: list[str] = Field(default_factory=list, description="ids of the records that mention it, sorted")
    mentions: int = Field(description="how many records mention it")


class WithPapers(Protocol):
    """What the index reads of a record (a `Record`, or the cache's lighter `CachedRecord`)."""

    @property
    def id(self) -> str: ...

    @property
    def papers(self) -> Sequence[Paper]: ...


@dataclass(slots=True)
class _Row:
    arxiv_id: str | None
    titles: Counter[str] = field(default_factory=Counter)
    authors: list[str] = field(default_factory=list)
    venue: str | None = None
    year: int | None = None
    post_ids: set[str] = field(default_factory=set)

    def add(self, post_id: str, paper: Paper) -> None:
        if paper.title:
            self.titles[paper.title] += 1
        self.authors = self.authors or list(paper.authors)
        self.venue = self.venue or paper.venue
        self.year = self.year or paper.year
        self.post_ids.add(post_id)

    def best_title(self) -> str | None:
        """Most frequent as written; ties → longest, then lexicographically first."""
        if not self.titles:
            return None
        return min(self.titles, key=lambda t: (-self.titles[t], -len(t), t))


def _paired_ids(records: list[WithPapers]) -> dict[str, str]:
    """Title key → the arXiv ID posts pair it with (most posts; ties → smallest ID)."""
    votes: dict[str, Counter[str]] = {}
    for record in records:
        pairs = {(title_key(p.title), p.arxiv_id) for p in record.papers if p.title and p.arxiv_id}
        for key, arxiv_id in pairs:
            if key:
                votes.setdefault(key, Counter())[arxiv_id] += 1
    return {key: min(c, key=lambda i: (-c[i], i)) for key, c in votes.items()}


def paper_index(records: Iterable[WithPapers]) -> list[dict[str, Any]]:
    """Rows of `papers.jsonl`, sorted by key. Records are visited by id, so "first known" is deterministic."""
    ordered = sorted(records, key=lambda r: r.id)
    paired = _paired_ids(ordered)
    rows: dict[str, _Row] = {}
    for record in ordered:
        for paper in record.papers:
            arxiv_id = paper.arxiv_id
            if arxiv_id is None and paper.title:
                arxiv_id = paired.get(title_key(paper.title))
            if arxiv_id is not None:
                group = f"arxiv:{arxiv_id}"
            elif paper.title and title_key(paper.title):
                group = f"title:{title_key(paper.title)}"
            else:
                continue
            row = rows.get(group)
            if row is None:  # (not setdefault: that would build a row, its Counter and set, for every mention)
                row = rows[group] = _Row(arxiv_id=arxiv_id)
            row.add(record.id, paper)
    out = []
    for group, row in rows.items():
        title = row.best_title()
        key = group if row.arxiv_id is not None else f"title:{normalized_title(title or '')}"
        out.append({
            "key": key,
            "arxiv_id": row.arxiv_id,
            "title": title,
            "titles": sorted(row.titles),
            "authors": row.authors,
            "venue": row.venue,
            "year": row.year,
            "post_ids": sorted(row.post_ids),
            "mentions": len(row.post_ids),
        })
    out.sort(key=lambda r: r["key"])
    return out
