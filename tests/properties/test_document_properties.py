"""Property tests of the one markdown parse: it never raises, and the cleaned text of markdown never keeps
template tags, directive fences, HTML tags or relative image paths; tokens are substrings of the text in order."""

from __future__ import annotations

import markdown_it.rules_core
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from notepipe import document
from notepipe.document import parse
from notepipe.formats import EmptyInputError
from notepipe.normalize import normalize_bytes
from notepipe.text import clean
from tests.properties.test_core_properties import _in_order

FAST = settings(max_examples=150, deadline=None)

# Anything a post might hold, markers of every dialect included.
_ANY = st.sampled_from([
    "論文", "논문", "Attention", " ", "\t", "\n", "\n\n", "\r", "\ufeff", "\x00", "---", "+++", "...", "% ", "%", "# ",
    "###見出し", "=", "-", "*", "1. ", "> ", "|", "|---|", "```", "```{note}", "```{code-block} python", "~~~", ":::",
    ":::{figure-md}", ":class: x", "$$", "$", "\\[", "\\]", "\\", "`", "[", "]", "(", ")", "![", "](", "[^1]", "[^1]: ",
    ": ", "{{", "}}", "{%", "%}", "{{< ", " >}}", "{% raw %}", "{% endraw %}", "<", ">", "<br>", "<img src=a.png>",
    "<details>", "</details>", "<summary>", "<pre>", "</pre>", "<!--", "-->", "&amp;", "title: a: b", "date: 2020-01-02",
    "    ", "\u3000",
])  # fmt: skip
ANY_TEXT = st.one_of(st.text(max_size=200), st.lists(st.one_of(_ANY, st.text(max_size=4)), max_size=50).map("".join))

_RELATIVE_IMAGES = ("img/rel-figure-one.png", "figs/relative-two.svg")
# Markdown of the dialects, without what keeps text verbatim on purpose (code spans and blocks, math, escapes,
# entities, `{% raw %}`): there, none of the markup may survive in the text.
_MARKDOWN = st.sampled_from([
    "論文を読んだ。", "논문을 읽었다.", "Attention Is All You Need", " ", "\n", "\n\n", "# ", "## 概要\n", "- ", "1. ", "> ",
    "**強調**", "*", "_", "[リンク](https://example.org/a)", "[相対](../x/y.html)", "![図1](img/rel-figure-one.png)",
    "![](figs/relative-two.svg)", "[![バッジ](figs/relative-two.svg)](https://example.org/ci)",
    "{{ site.baseurl }}", "{{ page.title | escape }}", "{% include toc.html %}", "{%- if x -%}", "{{< figure src=\"a\" >}}",
    "{{% note %}}", "{{% /note %}}", "\n:::{note}\n", "\n:::\n", "\n:::{figure-md} fig\n",
    "\n```{admonition} 情報\n**Title:** ![図](img/rel-figure-one.png)\n```\n", '<img src="img/rel-figure-one.png" alt="図">', "<img src=figs/relative-two.svg>", "<font color=red>",
    "</font>", "<span>", "</span>", "<br>", "<sup>1</sup>", "\n<details>\n<summary>要約</summary>\n\n", "\n</details>\n",
    "---\ntitle: 題\n---\n", "|", "| a | b |\n|---|---|\n", "===", "---",
])  # fmt: skip
_SAFE_CHARS = st.characters(blacklist_characters="`$\\&~{}%<>:\t\r\x00", blacklist_categories=("Cs",))
MARKDOWN = st.lists(st.one_of(_MARKDOWN, st.text(_SAFE_CHARS, max_size=4)), max_size=40).map("".join)
_NEVER = ("{{", "{%", ":::", "<img", "<font", "<span", "<br", "<sup", "<details", "<summary", *_RELATIVE_IMAGES)


@FAST
@given(ANY_TEXT)
@example("\ufeff\n\n---\ntitle: a: b\n...\n```{note}\n:::{x}\n<details>\n$$\n")
@example("{% raw %}{{ x }}{% endraw %}{% raw %}")
@example("\n^[]")  # an inline footnote's body, which markdown-it moves to the end
def test_parse_never_raises_and_blocks_stay_in_source_order(text: str) -> None:
    doc = parse(text)
    lines = [b.line for b in doc.blocks]
    assert lines == sorted(lines)
    assert all(b.end >= b.line >= 0 for b in doc.blocks)
    clean(text)
    clean(text, dump=True)


@FAST
@given(MARKDOWN)
@example("![図1](img/rel-figure-one.png){{ site.baseurl }}\n:::{note}\n<font color=red>赤</font><br>\n:::\n")
@example("- \n:::{figure-md} fig\n<img src=figs/relative-two.svg>\n\n:::\n")
def test_markdown_text_keeps_no_template_directive_tag_or_relative_image(markdown: str) -> None:
    text, _ = clean(markdown)
    for mark in _NEVER:
        assert mark not in text, mark


@FAST
@given(MARKDOWN)
def test_record_tokens_are_substrings_of_the_text_in_order(markdown: str) -> None:
    try:
        [record] = normalize_bytes(markdown.encode("utf-8"), source_path="post.md")
    except EmptyInputError:
        return
    assert _in_order(record.tokens, record.text)
    for mark in _NEVER:
        assert mark not in record.text, mark
        assert not any(mark in token for token in record.tokens), mark


_LINES = st.sampled_from([
    "本文。", "para two", "", "", "  indented", "     five", "\tcode", "- a", "1. b", "1a", "> q", "# h", "###見出し",
    "term", ": def", "~ def", "===", "---", "```", "~~~", "$$", ":::", "\\[", "\\]", "[^1]: n", "[a]: /u", "| a | b |",
    "|---|---|", "a|b", "<div>", "<br>", "*", "_ _ _", "text *em* [l](u)", "x\\", "&amp;", "$x$", "[^1]", "  lazy",
])  # fmt: skip
BLOCKS = st.lists(_LINES, max_size=25).map("\n".join)


def _reference() -> MarkdownIt:
    md = document._markdown_it()
    md.core.ruler.at("inline", markdown_it.rules_core.inline)
    md.disable(["plain_paragraph"])
    return md


_REFERENCE = _reference()


def _shape(tokens: list[Token]) -> list[tuple[object, ...]]:
    return [(t.type, t.tag, t.nesting, t.map, t.content, t.markup, t.info, t.level) for t in tokens]


@FAST
@given(BLOCKS)
@example("term\n\n: definition")
@example("para\n    - lazy\nnext\n\n1. x")
@example("a\r\nb\x00c\rd\n\n- \x00\r")  # markdown-it's `normalize` is left out only when there is no CR or NUL
def test_fast_paths_give_the_tokens_of_the_full_rules(markdown: str) -> None:
    # The parser without the rules a document cannot use, with plain paragraphs taken at once and plain inline
    # content left unparsed, against markdown-it's full rule set.
    fast = document._parser_for(markdown).parse(markdown)
    full = _REFERENCE.parse(markdown)
    assert _shape(fast) == _shape(full)
    for got, want in zip(fast, full, strict=True):
        if got.type == "inline":
            assert list(document._spans(got)) == list(document._spans(want))


@FAST
@given(ANY_TEXT)
@example("$ ^ ~~ \\ : ] [ ` ~")  # every first character, none of the texts
@example("$$ [^1] ^[x] \\[ ]: ``` ~~~ ::: \r \x00")
def test_the_parser_for_a_text_leaves_out_exactly_the_rules_whose_texts_it_lacks(text: str) -> None:
    unused = tuple(name for name, first, second in document._NEEDS if first not in text and second not in text)
    assert document._parser_for(text) is document._parser_without(unused)
