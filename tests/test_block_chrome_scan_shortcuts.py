"""The second round of shortcuts gives what the plain versions give: the code-run and code-line checks of the
dump repair, one alternation for the chrome patterns, and numbers blanked only for the Latin words of a segment;
and the cleaner's blocks keep their shape on any markdown or dump."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from notepipe.formats._chrome import _PATTERNS, ALL, _key, is_chrome
from notepipe.language import HAN_RUN, HANGUL_RUN, KANA_RUN, LATIN_WORD, blank_free, scan_text
from notepipe.text import CODE_LINE, MIN_CODE_LINES, clean, code_run, is_code_line, render

SETTINGS = settings(max_examples=400, deadline=None)
_MD = st.sampled_from([
    "論文を読んだ。", "논문을 읽었다.", "Attention Is All You Need", " ", "  ", "\t", "\u3000", "\u00a0", "\x1c", "\u2028",
    "\n", "\n\n", "\n \n", "\n\t\n", "```", "```python\n", "~~~", "> ```", ">", "> ", "# ", "## 見出し", "#", "- ", "* ",
    "+ ", "• ", "・ ", "- [ ] ", "---", "***", "===", "\n===\n", "\n---\n", "\n  ---", "   ==", "_ _ _", "| a | b |",
    "|---|---|", "|", "x = 1", "def f():", "    return x", "print(x)", "}", "foo(bar)", "a;", "@decorator",
    "</pre></div>", "**強調**", "`code`", "[リンク](https://example.org/a)", "<b>太字</b>", "&amp;", "_x_", "~~消~~",
])  # fmt: skip
MARKDOWN = st.one_of(st.text(max_size=100), st.lists(st.one_of(_MD, st.text(max_size=4)), max_size=30).map("".join))
_LINE = st.sampled_from([
    "Skip to content", "  Skip to content  ", "## Comments", "1. You get articles that match your needs", "- Copied!",
    "読者になる", "ＬｏｇｉｎＳｉｇｎｕｐ", "LOGINSIGNUP", "More than 2 years have passed since last update.",
    "この記事は最終更新日から3年以上が経過しています。", "Last updated at 2024-01-02Posted at 2023-05-06",
    "posted at 2023-05-06", "最終更新日 2024年 投稿日 2023年", "comment12", "120 lines (98 loc) · 4.5 KB",
    "© 2024 GitHub, Inc.", "hogeさんは、はてなブログを使っています。", "id:hoge 3日前 読者になる",
    "Powered by Hatena Blog | ブログを報告する", "POWERED BY HATENA BLOG", "本文の一行です。", "١٢", "٣ lines (٤ loc) · 5 KB",
    " ", "\t", "\u3000", "\u2028", "\x1c", "\x85", "", "K", "ſ", "ﬁ",
])  # fmt: skip
LINE = st.one_of(st.text(max_size=60), st.lists(st.one_of(_LINE, st.text(max_size=3)), max_size=4).map("".join))
_SEG = st.sampled_from([
    "論文を読んだ。", "논문", "本文", "Attention", "the model", " ", "3x", "3×", "×", "12.5%", "2020年", "1,000",
    "テスト@example.com", "図1.png", "https://例.jp/ページ", "arXiv:2007.10909", "www.", "v:", "ｶﾀｶﾅ", "ㄱ", "\u1100",
    "xyz", "×ab", "2×3の行列", "X", "٣",
])  # fmt: skip
SEGMENT = st.one_of(st.text(max_size=60), st.lists(st.one_of(_SEG, st.text(max_size=3)), max_size=12).map("".join))


# ---- the plain versions, as they were before these shortcuts ------------------------------------------------------

def _plain_code_run(lines: list[str], start: int) -> int:
    end = start
    while end < len(lines) and (
        is_code_line(lines[end]) or (end > start and lines[end][:1] in {" ", "\t"} and lines[end].strip())
    ):
        end += 1
    return end - start if end - start >= MIN_CODE_LINES else 0


def _plain_is_chrome(line: str, extra: frozenset[str] = frozenset()) -> bool:
    key = _key(line)
    if not key:
        return False
    if key in ALL or key in extra:
        return True
    return any(p.fullmatch(key) for p in _PATTERNS)


def _plain_scan(text: str) -> tuple[int, int, int, int, tuple[str, ...]]:
    text = blank_free(text)
    kana, hangul = (sum(map(len, run.findall(text))) for run in (KANA_RUN, HANGUL_RUN))
    if kana and hangul:
        return kana, hangul, 0, 0, ()
    if kana or hangul:  # one script alone: only that it is there
        return min(kana, 1), min(hangul, 1), 0, 0, ()
    words = tuple(LATIN_WORD.findall(text))
    return 0, 0, sum(map(len, HAN_RUN.findall(text))), sum(map(len, words)), words


# ---- the shortcuts against them -----------------------------------------------------------------------------------

@given(MARKDOWN, st.booleans())
@example("段落\n\n\n \n\t\n次の段落\n===\n", False)
@example("x = 1\ny = 2\n  z\n\nfoo(bar)\n本文", True)
@example("\n\n```\n\n```\n\n", False)
@example("a\n\x1c\nb", True)
@example("<!-- 注 -->\n\n---\n本文\n\n<!-- -->\n===\n\n***\n", False)
@example("---\n\n本文\n\n---", False)
@SETTINGS
def test_cleaned_blocks_keep_their_shape(markdown: str, dump: bool) -> None:
    text, blocks = clean(markdown, dump=dump)
    assert render(blocks) == "\n".join(line for line in text.split("\n") if line) or any(
        b.kind != "text" for b in blocks)  # (blank lines between paragraphs are not blocks)
    at = 0
    for block in blocks:  # every block is in the text, in order
        assert block.text.strip()
        at = text.index(block.text, at) + len(block.text)
        if block.kind == "text":  # one prose line each, trimmed, spaces collapsed
            assert "\n" not in block.text and block.text == block.text.strip() and "  " not in block.text


@given(st.lists(st.sampled_from(["x = 1", "foo(bar)", "  z", "\tw", "本文", "", " ", "}", "def f():"]), max_size=8))
@SETTINGS
def test_code_run_is_the_plain_run(lines: list[str]) -> None:
    for start in range(len(lines)):
        if is_code_line(lines[start]):
            assert code_run(lines, start) == _plain_code_run(lines, start)


_CODEISH = st.sampled_from([
    "x = 1", "foo(bar)", "foo(bar) ", "foo(bar)\u3000", "a.b(c).d(e)", "return x;", "if x {", "}", "  }", ")", "def f():",
    "print(1)", "@app", "関数(引数)", "本文です。", " ", "\t", "\u2003", "\x1c", "(", ";", "{", "x", "日本語",
])  # fmt: skip


def _plain_is_code_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped or (not stripped.isascii() and len(stripped.encode("ascii", "ignore")) < 0.9 * len(stripped)):
        return False
    return bool(CODE_LINE.search(line))


@given(st.one_of(st.text(max_size=40), st.lists(st.one_of(_CODEISH, st.text(max_size=3)), max_size=6).map("".join)))
@example("foo(bar)\u2003")
@example("x;\x1c")
@SETTINGS
def test_code_line_check_matches_searching_the_whole_line(line: str) -> None:
    assert is_code_line(line) == _plain_is_code_line(line)


def test_pattern_space_is_what_strip_strips() -> None:
    # The reason the last character of `line.strip()` is the last one a `...\s*$` match can end on.
    assert all(bool(re.fullmatch(r"\s", chr(c))) == chr(c).isspace() for c in range(sys.maxunicode + 1))


@given(LINE, st.sampled_from([frozenset(), frozenset({"関連記事", "skip to content"})]))
@example("Powered by Hatena Blog", frozenset())
@example("\u2028 \x1c", frozenset())
@SETTINGS
def test_chrome_check_matches_the_plain_one(line: str, extra: frozenset[str]) -> None:
    assert is_chrome(line, extra) == _plain_is_chrome(line, extra)


def test_a_whitespace_line_has_an_empty_chrome_key() -> None:
    # The reason `is_chrome` may answer a whitespace-only line without computing its key.
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert all(_key(ch) == "" for ch in spaces)
    assert all(unicodedata.normalize("NFKC", ch).isspace() for ch in spaces)
    assert _key("".join(spaces)) == ""


@given(SEGMENT)
@example("2×3の行列")
@example("3×ab")
@example("テスト@example.com 3x")
@SETTINGS
def test_segment_scan_matches_blanking_everything_first(text: str) -> None:
    assert scan_text.__wrapped__(text) == _plain_scan(text)
