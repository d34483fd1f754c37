"""Precision/recall of the extractor on the hand-labelled cases (also runnable: `python tests/papers/evaluate.py`)."""

from __future__ import annotations

import difflib
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cases import CASES, Case
from cases_more import MORE_CASES

from notepipe.papers import extract_papers, find_arxiv_ids


def _key(title: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", title).casefold() if c.isalnum())


def _same(a: str, b: str) -> bool:
    ka, kb = _key(a), _key(b)
    return ka == kb or difflib.SequenceMatcher(None, ka, kb).ratio() >= 0.92


@dataclass
class Tally:
    """Counts over all cases, and what went wrong where."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    id_tp: int = 0
    id_fp: int = 0
    id_fn: int = 0
    pairs_ok: int = 0
    pairs: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Title precision."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Title recall."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def id_f1(self) -> float:
        """arXiv ID F1."""
        d = 2 * self.id_tp + self.id_fp + self.id_fn
        return 2 * self.id_tp / d if d else 1.0


def score_case(case: Case, tally: Tally) -> None:
    """Add one case's outcome to `tally`."""
    papers = extract_papers(case.body)
    got = [p.title for p in papers if p.title]
    matched = {i for i, g in enumerate(case.titles) if any(_same(t, g) for t in got)}
    extra = [t for t in got if not any(_same(t, g) for g in case.titles)]
    tally.tp += len(matched)
    tally.fn += len(case.titles) - len(matched)
    tally.fp += len(extra)
    ids = set(find_arxiv_ids(case.body)) | {p.arxiv_id for p in papers if p.arxiv_id}
    tally.id_tp += len(ids & set(case.ids))
    tally.id_fp += len(ids - set(case.ids))
    tally.id_fn += len(set(case.ids) - ids)
    for title, aid in case.pairs:
        tally.pairs += 1
        tally.pairs_ok += any(p.arxiv_id == aid and p.title and _same(p.title, title) for p in papers)
    missed = [g for i, g in enumerate(case.titles) if i not in matched]
    if missed or extra or ids != set(case.ids):
        tally.errors.append(f"{case.name}: missed={missed} extra={extra} ids={sorted(ids)}")


def evaluate(cases: list[Case] | None = None) -> Tally:
    """Score every case (both batches unless given)."""
    tally = Tally()
    for case in CASES + MORE_CASES if cases is None else cases:
        score_case(case, tally)
    return tally


if __name__ == "__main__":
    for label, batch in (("first", CASES), ("second", MORE_CASES)):
        t = evaluate(batch)
        for e in t.errors:
            print(e)
        print(
            f"{label}: cases={len(batch)} title_p={t.precision:.3f} title_r={t.recall:.3f} (tp={t.tp} fp={t.fp} fn={t.fn}) "
            f"id_f1={t.id_f1:.3f} pairs={t.pairs_ok}/{t.pairs}"
        )
