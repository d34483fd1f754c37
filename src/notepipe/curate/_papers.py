"""The papers index: one row per distinct paper across all records, by resolved identity, else by arXiv ID or title."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from notepipe.models import Paper
from notepipe.resolution._canonical import Canonical, normalized_title
from notepipe.resolution._lookups import Resolutions
from notepipe.text import title_key

__all__ = ["PaperIndex", "PaperRow", "index_papers", "normalized_title", "paper_index"]


class PaperRow(BaseModel):
    """One row of the papers index: the contract of `papers.jsonl` and `data/papers.parquet` (its Arrow schema and
    the card's features are derived from this model, so a new column is added here and in `PaperIndex` only)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(description="`arxiv:<id>`, `doi:<doi>` or `openalex:<id>` when resolved, else `arxiv:<id>` or "
                                 "`title:<normalized title>` as written")
    arxiv_id: str | None = Field(default=None, description="versionless arXiv ID, or null")
    title: str | None = Field(default=None, description="the title posts write most often, or null")
    titles: list[str] = Field(default_factory=list, description="every title posts write for it, sorted")
    authors: list[str] = Field(default_factory=list, description="authors as the first post naming them lists them")
    venue: str | None = None
    year: int | None = None
    post_ids: list[str] = Field(default_factory=list, description="ids of the records that mention it, sorted")
    mentions: int = Field(description="how many records mention it")
    reviews: int = Field(description="how many records review it (their paper of `role` `reviewed`)")
    citations: int = Field(description="how many records cite it without reviewing it")
    canonical: Canonical | None = Field(
        default=None, description="what resolution found: `{title, authors, year, arxiv_id, doi, openalex_id, source "
                                  "(arxiv | openalex), score, primary_category, journal_ref}`, or null")


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
    reviewed_in: set[str] = field(default_factory=set)

    def add(self, post_id: str, paper: Paper) -> None:
        if paper.title:
            self.titles[paper.title] += 1
        self.authors = self.authors or list(paper.authors)
        self.venue = self.venue or paper.venue
        self.year = self.year or paper.year
        self.post_ids.add(post_id)
        if paper.role == "reviewed":
            self.reviewed_in.add(post_id)

    def merge(self, other: _Row) -> None:
        """Take in another group of mentions of the same paper (first known values stay)."""
        self.titles.update(other.titles)
        self.authors = self.authors or other.authors
        self.venue = self.venue or other.venue
        self.year = self.year or other.year
        self.post_ids |= other.post_ids
        self.reviewed_in |= other.reviewed_in
        if other.arxiv_id is not None and (self.arxiv_id is None or other.arxiv_id < self.arxiv_id):
            self.arxiv_id = other.arxiv_id

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


def _preferred(found: list[tuple[Canonical, str]]) -> Canonical:
    """Of several resolutions merged into one row: arXiv's by ID first, then the most similar, then group order."""
    return min(found, key=lambda pair: (pair[0].source != "arxiv", -pair[0].score, pair[1]))[0]


class PaperIndex:
    """The mentions of all records grouped as posts write them (arXiv ID, written or paired with the title, else
    title key), then merged by what resolution found: rows with the same resolved identity (arXiv ID, else DOI,
    else OpenAlex id) are one paper; unresolved rows stay keyed by arXiv ID or normalized title.

    Records are visited by id, so "first known" values are deterministic."""

    def __init__(self, records: Iterable[WithPapers], resolutions: Resolutions | None = None) -> None:
        ordered = sorted(records, key=lambda r: r.id)
        self._paired = _paired_ids(ordered)
        self.groups: dict[str, _Row] = {}
        for record in ordered:
            for paper in record.papers:
                group = self.group_of(paper)
                if group is None:
                    continue
                row = self.groups.get(group)
                if row is None:  # (not setdefault: that would build a row, its Counter and set, for every mention)
                    row = self.groups[group] = _Row(arxiv_id=group[6:] if group.startswith("arxiv:") else None)
                row.add(record.id, paper)
        self._canonical: dict[str, Canonical | None] = {}
        self.merged: dict[str, list[str]] = {}  # row key → the groups of mentions it holds
        self.rows = self._rows(resolutions)

    def group_of(self, paper: Paper) -> str | None:
        """`arxiv:<id>` or `title:<title key>` for a mention as written; None for one with neither."""
        arxiv_id = paper.arxiv_id
        if arxiv_id is None and paper.title:
            arxiv_id = self._paired.get(title_key(paper.title))
        if arxiv_id is not None:
            return f"arxiv:{arxiv_id}"
        if paper.title and (key := title_key(paper.title)):
            return f"title:{key}"
        return None

    def lookups(self) -> tuple[list[str], list[tuple[str, int | None]]]:
        """What resolution asks about: the arXiv IDs, and the (best title, year) of each title-only group."""
        ids = sorted(row.arxiv_id for row in self.groups.values() if row.arxiv_id is not None)
        titles = sorted({(title, row.year) for row in self.groups.values()
                         if row.arxiv_id is None and (title := row.best_title())}, key=lambda t: (t[0], t[1] or 0))
        return ids, titles

    def resolved(self, group: str, resolutions: Resolutions) -> Canonical | None:
        """What the stored answers say of one group: arXiv's metadata for its ID, else OpenAlex's for its title."""
        row = self.groups[group]
        if row.arxiv_id is not None:
            return resolutions.for_id(row.arxiv_id)
        title = row.best_title()
        return resolutions.for_title(title, row.year) if title else None

    def _rows(self, resolutions: Resolutions | None) -> list[dict[str, Any]]:
        merged: dict[str, tuple[_Row, list[tuple[Canonical, str]], list[str]]] = {}
        for group in sorted(self.groups):
            row = self.groups[group]
            found = self.resolved(group, resolutions) if resolutions is not None else None
            if found is not None:
                key = found.identity()
            elif row.arxiv_id is not None:
                key = group
            else:
                key = f"title:{normalized_title(row.best_title() or '')}"
            held = merged.get(key)
            if held is None:
                held = merged[key] = (_Row(arxiv_id=row.arxiv_id), [], [])
            held[0].merge(row)
            held[2].append(group)
            if found is not None:
                held[1].append((found, group))
        out: list[dict[str, Any]] = []
        for key, (row, answers, groups) in merged.items():
            canonical = _preferred(answers) if answers else None
            self.merged[key] = groups
            for group in groups:
                self._canonical[group] = canonical
            out.append({
                "key": key,
                "arxiv_id": row.arxiv_id,
                "title": row.best_title(),
                "titles": sorted(row.titles),
                "authors": row.authors,
                "venue": row.venue,
                "year": row.year,
                "post_ids": sorted(row.post_ids),
                "mentions": len(row.post_ids),
                "reviews": len(row.reviewed_in),
                "citations": len(row.post_ids - row.reviewed_in),
                "canonical": canonical.as_dict() if canonical is not None else None,
            })
        out.sort(key=lambda r: r["key"])
        return out

    def canonical_of(self, paper: Paper) -> Canonical | None:
        """The resolved metadata of the row a mention belongs to, if any."""
        group = self.group_of(paper)
        return self._canonical.get(group) if group is not None else None


def index_papers(records: Iterable[WithPapers], resolutions: Resolutions | None = None) -> PaperIndex:
    """Group every record's papers into the index (merged by what `resolutions` found, when given)."""
    return PaperIndex(records, resolutions)


def paper_index(records: Iterable[WithPapers], resolutions: Resolutions | None = None) -> list[dict[str, Any]]:
    """Rows of `papers.jsonl`, sorted by key."""
    return PaperIndex(records, resolutions).rows
