"""Canonical paper metadata and the rule that accepts a title search's candidate as the paper a post names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any, Literal

from rapidfuzz import fuzz

#: Least similarity (rapidfuzz ratio of the normalized titles, 0-1) for a title search's candidate to count.
MIN_SIMILARITY = 0.95
#: A candidate's year may differ from the one the post gives by this much (preprint vs. proceedings year).
YEAR_SLACK = 1

_NON_WORD = re.compile(r"[\W_]+")


def normalized_title(title: str) -> str:
    """NFKC, case-folded, runs of whitespace and punctuation collapsed to one space: the `title:` key."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", title).casefold()).strip()


def collapse(text: str) -> str:
    """Runs of whitespace (arXiv wraps long titles over lines, indenting the next) become one space."""
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Canonical:
    """What resolution knows of one paper, from the arXiv API (by ID) or OpenAlex (by title)."""

    title: str
    authors: tuple[str, ...]
    year: int | None
    arxiv_id: str | None
    doi: str | None
    openalex_id: str | None
    source: Literal["arxiv", "openalex"]
    score: float  # 1.0 for an arXiv ID lookup; the title similarity for OpenAlex
    primary_category: str | None = None
    journal_ref: str | None = None

    def identity(self) -> str:
        """The paper's key in papers.jsonl: `arxiv:<id>`, else `doi:<doi>`, else `openalex:<W…>`."""
        if self.arxiv_id:
            return f"arxiv:{self.arxiv_id}"
        if self.doi:
            return f"doi:{self.doi.lower()}"
        return f"openalex:{self.openalex_id}"

    def as_dict(self) -> dict[str, Any]:
        """The `canonical` object of a papers.jsonl row (fixed key order)."""
        return {
            "title": self.title, "authors": list(self.authors), "year": self.year, "arxiv_id": self.arxiv_id,
            "doi": self.doi, "openalex_id": self.openalex_id, "source": self.source, "score": self.score,
            "primary_category": self.primary_category, "journal_ref": self.journal_ref,
        }


def similarity(a: str, b: str) -> float:
    """Similarity of two titles after normalization, 0-1, rounded to 4 places (so output is stable)."""
    return round(fuzz.ratio(normalized_title(a), normalized_title(b)) / 100, 4)


def choose(title: str, year: int | None, candidates: list[Canonical]) -> Canonical | None:
    """The one candidate that is this paper, or None.

    A candidate counts when its normalized title is at least MIN_SIMILARITY like `title` and, when the post gives
    a `year`, its year is within YEAR_SLACK of it. Of those, the most similar wins; several equally similar that
    are different papers (different identities) leave the paper unresolved: a wrong link is worse than none.
    """
    scored: list[tuple[float, Canonical]] = []
    for candidate in candidates:
        score = similarity(title, candidate.title)
        if score < MIN_SIMILARITY:
            continue
        if year is not None and (candidate.year is None or abs(candidate.year - year) > YEAR_SLACK):
            continue
        scored.append((score, candidate))
    if not scored:
        return None
    best = max(score for score, _ in scored)
    top = [c for score, c in scored if score == best]
    if len({c.identity() for c in top}) > 1:
        return None
    return replace(top[0], score=best)
