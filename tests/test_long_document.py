"""A long post is parsed a group of top-level blocks at a time: its `Document` is the one a single parse gives."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from notepipe import document
from notepipe.document import Document, parse, release_parses
from tests.properties.test_document_properties import ANY_TEXT

# One section of a long post, numbered: every construct whose extent or meaning reaches past its own lines (link
# references used far from their definitions, footnotes, lists, fences, tables, setext headings, HTML blocks,
# definition lists, math) and a few that hold markdown again (directives, colon fences, HTML).
_SECTION = """\
## 第{i}節 概要

本節では[先の論文][ref-{later}]と[後の論文][ref-{i}]を比べる。注釈がある[^note-{i}]。共有の注釈[^shared]。
二行目は続きの行で、https://arxiv.org/abs/1706.0{i:04d} を参照する。

設定見出し {i}
==============

小見出し {i}
------------

- 項目 {i} の一つ目
  - 入れ子の項目 [参照][ref-{earlier}]
-

3. 番号付き {i}
4) 別の区切り

> 引用 {i} の段落
> - 引用の中の項目
>
> 引用の二段落目 $x_{i}$ と `code {i}`

| 手法 | 精度 {i} |
|---|---:|
| Transformer | 9{i} |
| [リンク][ref-{i}] | ![図](fig{i}.png) |

```python
def f_{i}(x):
    return x  # [^note-{i}] は注釈ではない

```

~~~
チルダのフェンス {i}
~~~

    字下げのコード {i}

$$
E = mc^{i}
$$

\\[
\\sum_{{k=1}}^{{{i}}} k
\\]

用語 {i}
: 定義 {i} の本文

<details>
<summary>要約 {i}</summary>

隠れた段落 {i} **強調**

</details>

<br>
### 3-{i}. タグの後の見出し

```{{note}}
指示の本文 {i} [後の論文][ref-{i}]
```

:::{{admonition}} 題 {i}
コロンの中身 {i}
:::

[ref-{i}]: https://example.org/paper/{i} "題 {i}"
[^note-{i}]: 注釈 {i} の本文。
    続きの段落 {i}

インライン注釈^[その場の注 {i}] の後の文。
"""

_URL = "https://example.org/paper/"
_FRONT = "---\ntitle: 長い記事\ndate: 2024-01-02\n---\n"


def _long_post(sections: int) -> str:
    body = "".join(_SECTION.format(i=i, later=i + 7, earlier=max(i - 5, 0)) for i in range(sections))
    return _FRONT + body + "[^shared]: 共有の注釈の本文\n\n```\n閉じられないフェンス\n"


def _one_shot(text: str, mp: pytest.MonkeyPatch) -> Document:
    mp.setattr(document, "LONG_BODY", 10**12)
    doc = parse(text)
    release_parses()
    return doc


def _chunked(text: str, mp: pytest.MonkeyPatch, group: int) -> tuple[Document, int]:
    """The parse through `_parse_long`, with groups of about `group` characters, and how many groups it took."""
    groups = 0
    top_level = document._top_level_groups

    def counted(state: document.StateBlock) -> Iterator[None]:
        nonlocal groups
        for _ in top_level(state):
            groups += 1
            yield

    mp.setattr(document, "LONG_BODY", 0)
    mp.setattr(document, "GROUP_CHARS", group)
    mp.setattr(document, "_top_level_groups", counted)
    doc = parse(text)
    release_parses()
    return doc, groups


@pytest.mark.parametrize("group", [1, 700, 5_000])
def test_a_long_post_parsed_in_groups_is_the_one_parse(group: int) -> None:
    text = _long_post(40)
    with pytest.MonkeyPatch.context() as mp:
        one = _one_shot(text, mp)
        chunked, groups = _chunked(text, mp, group)
    assert groups > 6, "the post is taken in many groups (twice: references and footnotes need a first pass)"
    assert one.front == chunked.front and one.front.title == "長い記事"
    assert [b.kind for b in chunked.blocks] == [b.kind for b in one.blocks]
    assert chunked.blocks == one.blocks  # kind, spans, lines, depth, quote, markers: every field
    # The constructs reach across groups: a link resolved 7 sections before its definition; footnotes moved to the
    # end (an inline one has no source line: it takes the line of the block before it); a fence left open runs to
    # the end.
    assert [s.url for s in one.blocks[1].spans if s.kind == "link"] == [f"{_URL}7", f"{_URL}0"]
    assert (one.blocks[-1].kind, one.blocks[-1].text) == ("paragraph", "その場の注 39")
    assert one.blocks[-1].line == one.blocks[-2].line
    assert any(b.text == "共有の注釈の本文" for b in one.blocks[-80:])
    assert any(b.kind == "code" and b.text == "閉じられないフェンス" for b in one.blocks)


def test_a_long_post_without_references_is_taken_in_one_pass() -> None:
    text = "".join(f"# 節 {i}\n\n本文 {i} です。\n\n- 項目 {i}\n\n```\ncode {i}\n```\n\n" for i in range(300))
    with pytest.MonkeyPatch.context() as mp:
        one = _one_shot(text, mp)
        chunked, groups = _chunked(text, mp, 500)
    assert chunked == one and len(one.blocks) == 1200
    assert 20 < groups < 200  # one pass: no link reference definition or footnote can be in the text


@settings(max_examples=150, deadline=None)
@given(ANY_TEXT, st.integers(1, 6))
@example("[a]\n\n- x\n\n[a]: /u\n[^1]\n\n[^1]: n\n", 3)
@example("para\n===\n\n> q\nlazy\n\n1. a\n\n   b\n", 2)
def test_any_text_parsed_in_groups_is_the_one_parse(text: str, copies: int) -> None:
    text = "\n\n".join([text] * copies)
    with pytest.MonkeyPatch.context() as mp:
        one = _one_shot(text, mp)
        chunked, _ = _chunked(text, mp, 1)
    assert chunked == one


def test_an_inline_footnote_body_keeps_source_order() -> None:
    """markdown-it moves an inline footnote's body (`^[…]`) to the end with no source line: it takes the line
    of the block before it."""
    doc = parse("本文^[注釈の中身] です。\n\n次の段落\n")
    assert [(b.text, b.line) for b in doc.blocks] == [("本文 です。", 0), ("次の段落", 2), ("注釈の中身", 2)]
