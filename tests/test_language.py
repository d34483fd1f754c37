"""Script-first language ID: kanji-only lines, short lines, mixed lines, language-free text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notepipe.language import UND, document_language, segment_language


@pytest.mark.parametrize(
    ("text", "doc", "want"),
    [
        ("論文", "ja", "ja"),  # kanji only: langdetect says ko, lingua zh
        ("第10位", "ja", "ja"),
        ("深層学習論文", "ja", "ja"),
        ("論文", "ko", "ko"),  # Hanja-only line inside a Korean post
        ("はじめに", "ko", "ja"),  # kana decides, whatever the document
        ("Google論文。Self-supervisedな手法でViTを改善する。", "ja", "ja"),
        ("img2img 프레임워크.", "ko", "ko"),
        ("으악!", "ko", "ko"),
        ("Vision Transformer", "ja", "en"),
        ("BEIT: BERT Pre-Training of Image Transformers", "ko", "en"),
        ('原論文 "Deep Residual Learning for Image Recognition", He, K., CVPR2016', "ja", "ja"),
        ("Eine kurze deutsche Zusammenfassung des Papiers über neuronale Netze.", "ja", "de"),
        ("https://arxiv.org/abs/2007.10909", "ja", UND),
        ("arXiv:2007.10909v2", "ko", UND),
        ("476", "ja", UND),
        ("", "ja", UND),
        ("→ ★ ・", "ja", UND),
    ],
)
def test_segment_language(text: str, doc: str, want: str) -> None:
    assert segment_language(text, doc) == want


def test_latin_heavy_japanese_document_is_ja() -> None:
    lines = [
        "Knowledge distillation: A good teacher is patient and consistent",
        "Google論文。Distillationを細かく調べた。",
        "Scaling Vision with Sparse Mixture of Experts",
        "A Survey of Transformers",
        "Chasing Sparsity in Vision Transformers: An End-to-End Exploration",
    ]
    assert document_language(lines) == "ja"


def test_latin_heavy_korean_document_is_ko() -> None:
    lines = ["https://arxiv.org/abs/2007.11576", "Deep Variational Instance Segmentation (Jialin Yuan, Chao Chen)",
             "permutation invariant loss가 핵심. 흥미로움."]
    assert document_language(lines) == "ko"


def test_document_without_cjk_falls_back_to_segment_votes() -> None:
    assert document_language(["This post reviews three papers on sparse attention in detail."]) == "en"
    assert document_language(["12345", "https://example.org"]) == UND


def test_deterministic_across_calls() -> None:
    text = "Ein Satz, der als Deutsch erkannt werden sollte, mit mehreren Wörtern darin."
    assert {segment_language(text) for _ in range(20)} == {"de"}


def test_labelled_seed_segments_floor(seeds_dir: Path) -> None:
    rows = [json.loads(line) for line in (seeds_dir.parent / "seed-segments.jsonl").read_text("utf-8").splitlines()]
    right = sum(segment_language(r["text"], "ko" if r["src"] == "004" else "ja") == r["gold"] for r in rows)
    assert right / len(rows) >= 0.99, f"{right}/{len(rows)}"


@pytest.mark.parametrize(
    "text",
    [
        "Attention Is All You Need",
        "Ein Satz der als Deutsch erkannt werden sollte mit mehreren Woertern darin",
        "la vie est belle et le chat dort sur le canape",
        "Masked Autoencoders Are Scalable Vision Learners CVPR",
        "het is een mooie dag vandaag hier in de stad",
    ],
)
def test_trimmed_profiles_give_stock_langdetect_answers(text: str) -> None:
    """Our factory keeps only the prior's languages (for speed); the probabilities must not change at all."""
    from langdetect import DetectorFactory
    from langdetect.detector_factory import PROFILES_DIRECTORY

    from notepipe.language import LATIN_PRIOR, detector_factory

    stock = DetectorFactory()
    stock.load_profile(PROFILES_DIRECTORY)
    stock.seed = 0
    answers = []
    for factory in (stock, detector_factory()):
        detector = factory.create()
        detector.set_prior_map(LATIN_PRIOR)
        detector.append(text)
        answers.append([(p.lang, p.prob) for p in detector.get_probabilities()])
    assert answers[0] == answers[1]


def test_english_titles_and_function_words_skip_the_statistical_detector() -> None:
    assert segment_language("Denoising Diffusion Probabilistic Models", "ja") == "en"  # langdetect: de
    assert segment_language("a study of scaling laws in sparse mixtures", "ko") == "en"
    assert segment_language("Die Ergebnisse zeigen deutlich bessere Werte", "ja") == "de"
