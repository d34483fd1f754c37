"""A long record is written in parts (`dumps_parts`): joined, they are the bytes `dumps_bytes` writes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notepipe import jsonl
from notepipe.jsonl import dumps_bytes, dumps_parts
from notepipe.models import Paper, Record, Segment


def _record(text: str, segments: list[Segment], tokens: list[str], title: str = "長いメモ") -> Record:
    return Record(id="file:0123456789abcdef", source="unknown", title=title, lang="ja", segments=segments, text=text,
                  tokens=tokens, papers=[Paper(title="Attention Is All You Need", arxiv_id="1706.03762")],
                  arxiv_ids=["1706.03762"], links=["https://arxiv.org/abs/1706.03762"], content_hash="0" * 64)


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts a few characters and items long, so short records take the long path."""
    monkeypatch.setattr(jsonl, "LONG_TEXT", 10)
    monkeypatch.setattr(jsonl, "PART_ITEMS", 3)
    monkeypatch.setattr(jsonl, "PART_CHARS", 7)


@pytest.mark.usefixtures("small_parts")
def test_a_long_record_in_parts_is_the_same_line() -> None:
    text = 'この論文は "引用" と \\ を含み、改行\u2028や\u0085や\u2029もある。😀 x = "y" を見る。' * 3
    segments = [Segment(text=text[:20], lang="ja"), Segment(text="x = 1\u2028", lang="und", kind="code"),
                Segment(text="E = mc^2", lang="und", kind="math"), Segment(text=text[20:], lang="ja")]
    tokens = ["この", "論文", "は", '"', "引用", "\u2028", "😀", "\\"] * 2
    record = _record(text, segments, tokens, title='in a title: ,"segments":[],"text":"","tokens":[]')
    parts = list(dumps_parts(record))
    assert len(parts) > 5
    assert b"".join(parts) == dumps_bytes(record)
    assert json.loads(b"".join(parts))["text"] == text


@pytest.mark.usefixtures("small_parts")
def test_a_lone_surrogate_in_a_part_is_escaped_as_dumps_escapes_it() -> None:
    text = "本文の途中に \ud800 が一つ残っている長い本文です。"
    record = _record(text, [Segment(text=text, lang="ja")], ["本文", "\ud800", "です"])
    assert b"".join(dumps_parts(record)) == dumps_bytes(record)


@pytest.mark.usefixtures("small_parts")
def test_empty_lists_and_short_records() -> None:
    long_bare = _record("十文字を超える長さの本文だけ", [], [])
    assert b"".join(dumps_parts(long_bare)) == dumps_bytes(long_bare)
    short = _record("短い", [Segment(text="短い", lang="ja")], ["短い"])
    assert list(dumps_parts(short)) == [dumps_bytes(short)]


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=11, max_size=60), st.lists(st.text(max_size=6), max_size=8))
def test_any_text_and_tokens(text: str, tokens: list[str]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonl, "LONG_TEXT", 10)
        patch.setattr(jsonl, "PART_ITEMS", 3)
        patch.setattr(jsonl, "PART_CHARS", 7)
        record = _record(text, [Segment(text=text, lang="ja")], tokens)
        assert b"".join(dumps_parts(record)) == dumps_bytes(record)
