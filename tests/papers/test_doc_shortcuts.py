"""The line model's shortcuts (IDs moved from the body scan, setext and field scans over candidate lines) are exact."""

from __future__ import annotations

import copy

from hypothesis import example, given, settings
from hypothesis import strategies as st

from notepipe.papers._arxiv import iter_arxiv_ids
from notepipe.papers._doc import Line, _mark_setext, _parse_line, _shifted, build_doc
from notepipe.papers._link import Mention
from notepipe.papers._rules_block import _field, _field_block, fields

# Markers the line parser strips, IDs with every prefix form, and what makes the shortcut step aside.
_PIECES = st.sampled_from(
    [
        "> ", ">", "- ", "* ", "1. ", "a) ", "(2) ", "## ", "# ", " #", "  ", "\t", "\n", "\n\n", "===", "---",
        "<b>", "</b>", "<https://arxiv.org/abs/1706.03762>", "`code`", "`", "```\n", "arXiv:", "arxiv ", "ARXİV:",
        "https://arxiv.org/abs/", "https://huggingface.co/papers/", "doi: ", "DOI :   ", "10.48550/arXiv.",
        "eprint={", "1706.03762", "2007.10909v2", "2101.00001", "hep-th/9901001", "v3", "x", "d) ", "h. ",
        "Title: ", "Authors: ", "Venue: ", "タイトル：", "Attention Is All You Need", "論文", "ab" * 50, " " * 40,
    ]
)  # fmt: skip
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=50).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
@example("- doi" + " " * 40 + ": 10.48550/arXiv.2305.18290")
@example("arXiv:\n2101.00001 hep-th/9901001")
@example("## arXiv:2101.00001 ##\n> arxiv:1706.03762v2")
@example("arxiv" + " " * 150 + "2101.00001 and " + "x" * 40 + "\narxiv:1706.03762")
def test_line_ids_are_what_a_scan_of_the_line_finds(text: str) -> None:
    for line in build_doc(text).lines:
        if line.ids:
            assert line.text_ids == tuple(iter_arxiv_ids(line.text)), line


def test_ids_of_plain_and_marked_lines_are_moved_not_rescanned() -> None:
    for raw in (
        "- Attention Is All You Need: https://arxiv.org/abs/1706.03762",
        "> ## Deep Residual Learning (arXiv:1512.03385v1) ##",
        "   1. AugMix https://arxiv.org/pdf/1912.02781.pdf",
    ):
        text = _parse_line(raw).text
        found = iter_arxiv_ids(raw)
        moved = _shifted(raw, text, found, 0, 0)
        assert moved is not None and moved == tuple(iter_arxiv_ids(text))
    # A tag or a code span was cut out of the line, or a DOI head reaches far back: scanned afresh.
    assert _shifted("<b>ViT</b> arXiv:2010.11929", " ViT  arXiv:2010.11929", [], 0, 0) is None
    raw = "doi" + " " * 40 + ": 10.48550/arXiv.2305.18290"
    assert _shifted(raw, raw, iter_arxiv_ids(raw), 0, 0) is None


def _plain_setext(lines: list[Line]) -> None:
    for i in range(1, len(lines)):
        cur, prev = lines[i], lines[i - 1]
        if prev.blank or prev.heading or prev.indent >= 0:
            continue
        m = _mark_setext.__globals__["_SETEXT_RE"].match(cur.text) if cur.text[:1] in "=-" else None
        if m and cur.indent < 0:
            prev.heading = 1 if m.group(1)[0] == "=" else 2
            cur.text, cur.blank = "", True


_LAYOUT = st.lists(
    st.sampled_from(["Title", "===", "---", "- ---", "--", "=", "", "  ", "- item", "# Head", "> ---", "text", "-"]),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(_LAYOUT)
@example(["Title", "===", "---", "----"])
def test_setext_over_candidate_lines_is_the_plain_scan(raw: list[str]) -> None:
    lines = [_parse_line(r) for r in raw]
    plain = copy.deepcopy(lines)
    _mark_setext(lines)
    _plain_setext(plain)
    assert lines == plain


def test_blank_and_tag_only_lines_parse_as_empty() -> None:
    for raw in ("", "   ", "\t", "<br>", "<!-- note -->", "`` ``"):
        assert _parse_line(raw) == Line(text="", blank=True)
    assert _parse_line(">").quote == 1 and _parse_line("- ").indent == 0  # markers are kept


def _plain_fields(lines: list[Line]) -> list[Mention]:
    out: list[Mention] = []
    i = 0
    while i < len(lines):
        if lines[i].blank:
            i += 1
            continue
        j = i
        found = []
        while j < len(lines) and not lines[j].blank:
            if f := _field(lines[j].text):
                found.append((j, f))
            j += 1
        titles = [(k, v) for k, (kind, v) in found if kind == "title"]
        if len(titles) == 1:
            out.extend(_field_block(lines[i:j], titles[0][0], titles[0][1], found))
        i = j
    return out


_FIELD_LINES = st.lists(
    st.sampled_from(
        [
            "- **Title:** Attention Is All You Need", "Title: Deep Residual Learning for Image Recognition",
            "タイトル：Denoising Diffusion Probabilistic Models", "著者: Ho, Jain, Abbeel", "Authors: A. Vaswani",
            "Venue: NeurIPS 2017", "Year: 2020", "Link: https://arxiv.org/abs/1706.03762", "arXiv:2006.11239",
            "", "  ", "この論文は拡散モデルの基礎。", "Note: see below", "論文: \"Quoted Title Here\"", "Paper: [arxiv](x)",
        ]
    ),
    max_size=25,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_FIELD_LINES)
def test_field_blocks_found_from_field_lines_are_the_plain_scan(raw: list[str]) -> None:
    doc = build_doc("\n".join(raw))
    assert fields(doc) == _plain_fields(doc.lines)
