"""The paper rules test cheap necessary conditions (a substring, a count, a length, an ending) before their regex
scans, and a prose block runs only the rules whose condition it meets; each answers what the plain scan answers, on
text built to hit the edges (case folding, Unicode digits and spaces, marks at the ends)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from cases import CASES
from cases_more import MORE_CASES
from hypothesis import example, given, settings
from hypothesis import strategies as st

from notepipe.document import Block, parse
from notepipe.papers import candidates as cand
from notepipe.papers import parse_reference
from notepipe.papers import references as refs
from notepipe.papers._titles import _DATE_RE, _URLISH_RE, _has_date, _urlish
from notepipe.papers.candidates import (
    _ANNOUNCE,
    _READING_INTRO,
    PAPER_HOSTS,
    TITLE_FIELD,
    Candidate,
    _is_reading_intro,
    _may_announce,
    is_paper_url,
)
from notepipe.papers.judge import _configuration, _shorthand

SETTINGS = settings(max_examples=400, deadline=None)
# Pieces each shortcut keys on, their look-alikes, and the characters re.IGNORECASE folds to ASCII (İ ı ſ K).
_PIECES = st.sampled_from([
    "the following paper", "THE FOLLOWİNG PAPER", "the followıng Paper", "paper", "PaPeR", "pape", "以下の論文",
    "次の論文", "논문", "다음 논문", "아래의  논문", "Title: ", "論文：", "**Paper:** ", ":", "：", "=", " = ", "==",
    "lr: 1e-4", "batch=32", "dropout: 0.1,", "Smith et al.", "ET AL", "et\tal", "al", "Vaswani (NIPS17)", "[He 2016]",
    "2019-01-02", "2020/3/4", "12:30", "1.2.3", "v2.0", "１９９５", "١٩٩٥", "1995", "2024", "(2017)", "2017).", ". ",
    "/", "@", "{", "}", ";", "\\", ".png", "https://", "www.", "papers I read", "reading list", "今週読んだ論文",
    "본 논문", "NeurIPS", "arXiv", "ARXIV", "n.d.", "n. d.", "title =", "In ", "xIn ", "Proc.", "ORACLE", "11995",
    " ", "  ", "\t", "\n", "\u3000", "(", ")", ")", ".", ",", "İ", "ı", "ſ", "K", "x" * 30, "Attention",
])  # fmt: skip
TEXT = st.one_of(st.text(max_size=80), st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=16).map("".join))

# The plain forms the shortcuts replace.
_PLAIN_SHORTHAND = re.compile(
    r"^\[?[A-Z][\w'’-]+(?:\s*\+|\s+et\s+al\.?)?\s*(?:\(?[A-Z]{2,}[\s']*\d{2,4}\)?|\(?\d{4}\)?)\]?$|\bet\s+al\b",
    re.IGNORECASE,
)
_PLAIN_GATE = re.compile(
    r"1(?<!\d1)9[5-9]\d(?!\d)|2(?<!\d2)0[0-4]\d(?!\d)|" + refs._VENUES + r"|title\s*=|I(?<!\wI)n\b|Proc\.|n\.\s?d\."
)
_PLAIN_CONFIG = re.compile(r"(?:^|\s)[\w-]+\s*[:=]\s*\S+.*\s[\w-]+\s*[:=]\s*\S|^[\w-]+\s*[:=]\s*[\d.]+")


def _plain_is_paper_url(url: str) -> bool:
    low = url.lower()
    if not low.startswith(("http://", "https://", "//")):
        return False
    try:
        parts = urlsplit(low)
    except ValueError:
        return False
    host_path = parts.netloc.removeprefix("www.") + parts.path
    if parts.path.endswith(".pdf"):
        return True
    return any(host_path.startswith(h) or f".{h}" in host_path[: len(h) + 40] for h in PAPER_HOSTS)


@SETTINGS
@given(TEXT)
@example("THE FOLLOWİNG PAPER")
@example("the followıng paper")
def test_announcing_sentence(text: str) -> None:
    assert _may_announce(text) == (_ANNOUNCE.search(text) is not None)


@SETTINGS
@given(TEXT)
@example("Title: Attention Is All You Need")
@example("論文：注意")
def test_a_title_field_has_its_colon(text: str) -> None:
    if TITLE_FIELD.match(text):
        assert ":" in text or "：" in text


@SETTINGS
@given(TEXT.map(str.strip))
@example("x" * 24 + "papers I read" + "y" * 12)
@example("x" * 25 + "papers I read" + "y" * 12)
def test_reading_intro(line: str) -> None:
    assert _is_reading_intro(line) == (_READING_INTRO.match(line) is not None)


@SETTINGS
@given(TEXT)
@example("Smith et al.")
@example("Vaswani (NIPS17)")
@example("Kaiming He ET\tAL")
@example("[He (2016)]")
@example("Vaswani NIPS17\n")
@example("He ١٩٩٥")
def test_shorthand_citation(title: str) -> None:
    assert _shorthand(title) == (_PLAIN_SHORTHAND.search(title) is not None)


@SETTINGS
@given(TEXT)
@example("lr: 1e-4 batch: 32")
@example("dropout=0.1")
@example("BERT: Pre-training of Deep Bidirectional Transformers")
def test_settings_line(title: str) -> None:
    assert _configuration(title) == (_PLAIN_CONFIG.search(title) is not None)


@SETTINGS
@given(TEXT)
@example("Released 2019-01-02")
@example("v1.2.3 notes")
@example("at 12:30")
@example("Figure.png")
def test_urlish_and_date_marks(title: str) -> None:
    assert _urlish(title) == (_URLISH_RE.search(title) is not None)
    assert _has_date(title) == (_DATE_RE.search(title) is not None)


_URL_PIECES = st.sampled_from([
    "https://", "http://", "//", "HTTPS://", "www.", "export.", "a.b.c.d.e.", "x" * 38 + ".", "x" * 39 + ".",
    *PAPER_HOSTS[:12], "arxiv.org", "openreview.net", "doi.org", "/abs/1706.03762", "/paper.pdf", ".pdf", "/", ".",
    "?q=1", "#x", "[", ":8080", "example.com",
])  # fmt: skip


@SETTINGS
@given(st.lists(_URL_PIECES, max_size=8).map("".join))
@example("https://" + "x" * 39 + ".arxiv.org/abs/1")
@example("https://" + "x" * 40 + ".arxiv.org/abs/1")
@example("https://www.proceedings.neurips.cc/paper")
def test_paper_url(url: str) -> None:
    assert is_paper_url(url) == _plain_is_paper_url(url)


_COLLAPSED = TEXT.map(lambda t: " ".join(t.split()))


@SETTINGS
@given(_COLLAPSED)
@example("Vaswani, Shazeer, Attention is all you need, (2017).")
@example("A title (Vaswani et al., 2017) .")
def test_reference_gates_on_collapsed_text(text: str) -> None:
    """parse_reference's gates see whitespace-collapsed text: the year ending, the closing parenthesis, and the
    gate on the whole text before a label or a marker is cut from its front."""
    if refs._TRAILING_YEAR.search(text):
        assert refs._ends_with_year(text)
    assert refs._gate(text) == (_PLAIN_GATE.search(text) is not None)
    if refs._TITLE_PAREN.match(text):
        assert text.endswith((")", ").", ") ."))
    if refs._gate(refs._LEAD.sub("", refs._strip_label(text), count=1)):
        assert refs._gate(text)


def test_gated_styles_still_parse_their_references() -> None:
    title_paren = parse_reference("Sparse Attention for Long Documents (Kim, Lee, NeurIPS 2021).")
    comma = parse_reference("Ada Lovelace, Grace Hopper, On compiling symbolic programs, 1952")
    labelled = parse_reference("参考文献: Lovelace, A., Hopper, G. (2019). Notes on the engine. In Proc. ICML.")
    assert title_paren is not None and title_paren.style == "title-paren" and title_paren.year == 2021
    assert comma is not None and comma.style == "comma" and comma.year == 1952
    assert labelled is not None and labelled.title == "Notes on the engine" and labelled.year == 2019


@SETTINGS
@given(TEXT)
@example("Attention Is All You Need (Transformer) \n")
@example("A Title [paper]\t")
def test_trailing_parentheses_are_looked_for_at_the_end(title: str) -> None:
    from notepipe.papers.judge import _GLOSS, _META_PAREN

    if _GLOSS.search(title):
        assert title.rstrip().endswith(")")
    if _META_PAREN.search(title):
        assert title.rstrip().endswith((")", "]"))


# ---- the per-block dispatch: each rule is skipped only where it finds nothing ----------------------------------

_BLOCK_PIECES = st.sampled_from([
    "Title: ", "論文：", "[1708.04896] ", "[", "]", "(https://arxiv.org/abs/1706.03762)", "https://arxiv.org/pdf/2005.14165",
    "https://example.com/a", "<https://openreview.net/forum?id=x>", "[paper](https://arxiv.org/abs/2106.09685)",
    "[Attention Is All You Need](https://arxiv.org/abs/1706.03762)", "arXiv:1412.6980", "ARXIV", "hep-th/9901001",
    "[https://arxiv.org/abs/2106.09685:title=LoRA]", "\"Deep Residual Learning for Image Recognition\"", "“", "”",
    "「Segment Anything」", "『Denoising Diffusion Probabilistic Models』", "論文", "paper", "the following paper",
    "以下の論文", "다음 논문", "Vaswani, A., Shazeer, N.", "Ashish Vaswani, Noam Shazeer, 2017", "(2017).", "2020.",
    " 2019)", "１９９９", "NeurIPS 2017", "In Proc. ICML", "- どんなもの?", "- 요약", "> ", "- ", "  - ", "1. ",
    "[3] ", "## References\n\n", "## 論文\n\n", "| Title | Link |\n|---|---|\n| A | B |\n", "![fig](a.png)",
    "`code`", "**", "Deep Learning for Everything", "Language Models are Few-Shot Learners", "は", "。", ", ",
    "\n", "\n", "\n\n", "\n\n", " ", ".",
])  # fmt: skip
_MARKDOWN = st.lists(st.one_of(_BLOCK_PIECES, st.text(max_size=6)), max_size=40).map("".join)


def _every_rule(blocks: tuple[Block, ...], index: int, in_refs: bool) -> list[Candidate]:
    """What `_prose` finds with no rule skipped."""
    block = blocks[index]
    nxt = blocks[index + 1] if index + 1 < len(blocks) else None
    lines = cand._split_lines(block.spans)
    texts = [cand._line_text(line) for line in lines]
    return [
        *cand._title_fields(block, lines, texts), *cand._references(block, lines, texts, in_refs),
        *cand._paper_links(block), *cand._id_titles(block), *cand._title_lines(block, lines, texts),
        *cand._quoted(block),
        *(cand._summary_header(block, nxt) if nxt is not None else ()), *cand._over_authors(block, blocks, index),
        *cand._announced(block, blocks, index), *cand._beside_bare_link(block, blocks, index),
    ]


def _assert_dispatch_skips_nothing(markdown: str) -> None:
    blocks = parse(markdown).blocks
    for index, block in enumerate(blocks):
        if block.kind in {"heading", "code", "math"}:
            continue
        for in_refs in (False, True):
            gated: list[Candidate] = []
            cand._prose(gated, blocks, index, in_refs)
            assert gated == _every_rule(blocks, index, in_refs), (markdown, index)


@SETTINGS
@given(_MARKDOWN)
@example("Attention Is All You Need\nAshish Vaswani, Noam Shazeer (2017).")
@example("Attention Is All You Need\n\nVaswani, A., Shazeer, N. 2017 .")
@example("*Deep Residual Learning*\n\n- どんなもの?\n")
@example("以下の論文を参考にした\n\nLanguage Models are Few-Shot Learners\n")
@example("**論文：** Attention Is All You Need")
@example("読んだ: [1708.04896] Attention Is All You Need")
@example("Adam (arXiv:1412.6980) を使う")
@example("[https://arxiv.org/abs/2106.09685:title=LoRA: Low-Rank Adaptation]")
@example("この論文「Segment Anything」は面白い")
@example("Deep Residual Learning for Image Recognition\n\nhttp://arxiv.org/abs/1512.03385\n")
def test_the_block_dispatch_skips_only_rules_that_find_nothing(markdown: str) -> None:
    _assert_dispatch_skips_nothing(markdown)


def test_the_block_dispatch_on_the_labelled_cases() -> None:
    for case in [*CASES, *MORE_CASES]:
        _assert_dispatch_skips_nothing(case.body)


@given(TEXT)
@SETTINGS
@example("Vaswani (2017)")
@example("A, B 2020 . .")
@example("x: 2020)")
@example("２０２０")
def test_an_author_line_ends_in_its_year(line: str) -> None:
    """`_ends_in_year` is true of every line `_over_authors` reads a year note from."""
    authors = cand._FIELD_LABEL.sub("", line.strip(), count=1)
    if cand._TRAILING_YEAR_NOTE.search(authors):
        assert cand._ends_in_year(line)


_NAME_PIECES = st.sampled_from([
    "Ashish Vaswani", "Vaswani, A.", "He, K.", "D. P. Kingma", "van Gool, L.", "Vaswani A", "Smith", " and ", ", ",
    "; ", " & ", " et al.", "*", "†", "1", ",", ".", " ", "\u3000", "山田", "太郎", "김", "ア", "ㄱ", "ᄀ", "〇", "Ｋ",
])  # fmt: skip


@SETTINGS
@given(st.lists(_NAME_PIECES, min_size=1, max_size=12).map("".join))
@example("Vaswani, 山田")
@example("山田 Taro, Smith J")
def test_no_author_list_holds_cjk(text: str) -> None:
    """`names` turns text with a kana, hangul or han character away before the parse, which finds no list there."""
    if refs.CJK_RE.search(text):
        assert refs._names(text) is None
    else:
        assert refs.names(text) == refs._names(text)
