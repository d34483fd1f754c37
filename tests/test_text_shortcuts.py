"""The cleaner and JSON shortcuts give what the plain versions give: NFKC over many lines at once, space checks
skipped where they cannot match, pydantic's own JSON for records."""

from __future__ import annotations

import json
import re
import sys
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from notepipe._unicode import nfkc as fast_nfkc
from notepipe.jsonl import dumps, dumps_bytes
from notepipe.models import ErrorRecord, Paper, Record, Segment
from notepipe.text import FENCE, QUOTE, SPACES, nfkc, nfkc_line, nfkc_outside_code, normalize_space

SETTINGS = settings(max_examples=300, deadline=None)
_PIECES = st.sampled_from([
    "論文", "を読んだ。", "ｶﾀｶﾅ", "ﾊﾟ", "ﾞ", "\u3099", "\u0301", "e\u0301", "\u1100", "\u1161", "\u11a8", "논문", "ＡＢＣ", "①",
    "ﬁ", "㍿", "Å", "\u200b", "\u200d", "\ufeff", "\u2028", "\x00", "\x0c", "\x85", "\u1680", "\u2003", "\u00a0", "\u3000",
    "\t", " ", "  ", "\n", "\n\n", "\r\n", "\r", "```", "```python", "~~~", "````", "> ```", ">", "> ", "# ", "###### ",
    "#", "- ", "* ", "+ ", "• ", "・ ", "- [ ] ", "---", "***", "_ _ _", "| a | b |", "|", "1. ", "｀｀｀", "～～～",
])  # fmt: skip
TEXT = st.one_of(st.text(max_size=120), st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=30).map("".join))
def _plain_nfkc_outside_code(markdown: str) -> str:
    """The former line-by-line loop."""
    out: list[str] = []
    marker: str | None = None
    for line in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        probe = QUOTE.sub("", line) if QUOTE.match(line) else line
        fence = FENCE.match(probe)
        if marker is None:
            out.append(nfkc(line))
            if fence:
                marker = fence.group(1)
        else:
            if probe.lstrip().startswith(marker):
                marker = None
            out.append(line)
    return "\n".join(out)


@SETTINGS
@given(TEXT)
@example("e\n\u0301x")  # a combining mark opening a line does not join the letter that ends the one before
@example("\u1100\n\u1161")  # nor do Hangul jamo across a newline
@example("ＡＢＣ\n```\nＡＢＣ\n```\nＡＢＣ")
@example("> ~~~\n①\n~~~~\n①")
def test_nfkc_of_many_lines_at_once_is_nfkc_of_each_line(text: str) -> None:
    assert nfkc_outside_code(text) == _plain_nfkc_outside_code(text)


@SETTINGS
@given(TEXT)
@example("・ 箇条書き\n• 項目\n  余白　　全角\t\u200b\x00ＡＢＣ")
def test_line_shortcuts_match_the_plain_steps(text: str) -> None:
    for line in text.replace("\r", "\n").split("\n"):
        assert normalize_space(line) == SPACES.sub(" ", line).strip()
        assert nfkc_line(line) == nfkc(line)


_WIDE_PIECES = st.sampled_from([
    "（", "）", "：", "！", "～", "｟", "｠", "！\u0301", "Ａ", "Ａ\u0301", "ｅ", "\u0301", "\u0338", "\u3099", "\u3000",
    "\u3000\u0301", "ﾊ", "ﾟ", "ﾞ", "①", "ﬁ", "㍿", "論文", "논문", "a", " ", "=", "\u0338", "\n", "\u200b",
])  # fmt: skip


@SETTINGS
@given(st.one_of(TEXT, st.lists(st.one_of(_WIDE_PIECES, st.text(max_size=3)), max_size=30).map("".join)))
@example("（注）Ａ\u0301＝\u0338 ｶﾞ　\u0301")  # marks that compose with a narrowed character, and one that does not
def test_nfkc_with_fullwidth_characters_narrowed_first_is_nfkc(text: str) -> None:
    assert fast_nfkc(text) == unicodedata.normalize("NFKC", text)


def test_every_character_serializes_as_json_dumps_writes_it() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    record = Record(
        id="qiita:0123456789abcdef0123", source="qiita", url="https://qiita.com/u/items/0123456789abcdef0123",
        title="論文メモ \"quoted\" \\ back", tags=["機械学習", "\t"], lang="ja",
        segments=[Segment(text=every, lang="ja"), Segment(text="x = 1\n\x00\x1f\x7f", lang="und", kind="code")],
        text=every, tokens=[every[:5000], "\u2028", "\U0001f600"], content_hash="0" * 64,
        papers=[Paper(title="Attention Is All You Need", arxiv_id="1706.03762", authors=["A. Vaswani"], year=2017),
                Paper(year=10**30)],
        arxiv_ids=["1706.03762"], links=["https://arxiv.org/abs/1706.03762"],
    )
    error = ErrorRecord(source_path="in/ノート.md", stage="decode", error="UndecodableError", message=every[:3000])
    for row in (record, error):
        plain = json.dumps(row.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
        line = dumps(row)
        assert line == plain.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")
        assert line.splitlines() == [line] and json.loads(line) == row.model_dump(mode="json")
        assert dumps_bytes(row) == line.encode("utf-8")


def test_a_lone_surrogate_is_written_as_json_dumps_writes_it_but_as_text() -> None:
    # A JSON source may escape half a surrogate pair: the line shows it as the text `\ud800`, so it can be written.
    record = Record(id="file:0", source="unknown", lang="ja", text="本文 \ud800 です", content_hash="0" * 64)
    plain = json.dumps(record.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
    assert dumps(record) == plain.replace("\ud800", "\\\\ud800")
    assert json.loads(dumps(record).encode("utf-8"))["text"] == "本文 \\ud800 です"


def test_nfkc_is_normalized_per_line_even_when_the_whole_text_is_not() -> None:
    text = "ＢＥＲＴ\nすでに正規化済み\n\u0301先頭の結合文字"
    got = nfkc_outside_code(text)
    assert got == "\n".join(nfkc(line) for line in text.split("\n"))
    assert all(unicodedata.is_normalized("NFKC", line) for line in got.split("\n"))
    assert re.fullmatch(r"BERT\n.*\n.*", got)
