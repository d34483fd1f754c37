"""Quality floors: precision/recall on our labelled cases, and the shared seed scores (skipped if absent)."""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path
from types import ModuleType

import pytest
from evaluate import evaluate

from notepipe.document import parse
from notepipe.papers import extract_papers, find_arxiv_ids

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEEDS = SHARED / "eval" / "seeds"


def test_labelled_set_floor() -> None:
    tally = evaluate()
    assert tally.precision >= 0.95, tally.errors
    assert tally.recall >= 0.95, tally.errors
    assert tally.id_f1 == 1.0, tally.errors
    assert tally.pairs_ok == tally.pairs


def _score_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("seed_score", SHARED / "eval" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (SEEDS / "gold.jsonl").is_file(), reason="../shared/eval not available")
def test_seed_floors() -> None:
    """The raw seed files (page chrome still in) through the extractor alone, scored by the shared scorer."""
    score = _score_module()
    gold = [json.loads(x) for x in (SEEDS / "gold.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    docs = []
    for g in gold:
        body = (SEEDS / g["file"]).read_text(encoding="utf-8")
        record = {
            "source_path": str(SEEDS / g["file"]),
            "papers": [p.model_dump() for p in extract_papers(body)],
            "arxiv_ids": find_arxiv_ids(body),
        }
        docs.append(score.score_doc(g, record))
    tot = {k: sum(d[k] for d in docs) for k in ("t_tp", "t_fp", "t_fn", "a_tp", "a_fp", "a_fn", "pairs_ok", "pairs")}
    title_f1 = score.prf(tot["t_tp"], tot["t_fp"], tot["t_fn"])[2]
    arxiv_f1 = score.prf(tot["a_tp"], tot["a_fp"], tot["a_fn"])[2]
    detail = [(d["file"], d.get("missed_titles"), d.get("extra_titles"), d.get("extra_ids")) for d in docs]
    assert title_f1 >= 0.97, detail
    assert arxiv_f1 == 1.0, detail
    assert tot["pairs_ok"] == tot["pairs"], detail


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/eval not available")
def test_throughput_beats_tokenizer() -> None:
    """Mention extraction must not cost more than tokenization (fugashi: about 1.2M chars/s). The post's Document
    is parsed once for every stage (cleaning, tokens, papers), so the parse is not this stage's cost."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    docs = [parse(t) for t in texts]
    start, chars = time.process_time(), 0  # CPU time: other processes on the machine do not count
    for _ in range(20):
        for text, doc in zip(texts, docs, strict=True):
            extract_papers(doc)
            chars += len(text)
    assert chars / (time.process_time() - start) > 1.2e6
