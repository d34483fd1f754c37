"""The blog dialects real review posts are written in, each as a fixture we wrote in its exact syntax, read
through the whole pipeline: the record's title, date, text, segments and tokens."""

from __future__ import annotations

import json

import pytest

from notepipe.document import parse, split_front_matter
from notepipe.jsonl import dumps
from notepipe.models import Record
from notepipe.normalize import normalize_bytes


def _record(text: str, name: str = "post.md") -> Record:
    [record] = normalize_bytes(text.encode("utf-8"), source_path=name)
    return record


def _no_markup(record: Record) -> None:
    for mark in ("{{", "{%", ":::", "<img", "<font", "<span", "<br", "<sup", "<details", "<summary", "</"):
        assert mark not in record.text, mark


JEKYLL = """---
layout: post
title:  BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding
date:   2019-03-02 10:00:00 +0900
categories: nlp paper
---

![Figure 1]({{ site.baseurl }}/assets/img/nlp/BERT-Pre-training-of-Deep-Bidirectional-Transformers/figure1.png)

{% include toc.html %}
Google の {{ page.title | escape }} を読んだ。事前学習した Transformer を微調整する。

{% raw %}
テンプレートでは {{ page.title }} と書く。
{% endraw %}

{%- comment -%} 下書き {%- endcomment -%}
続き。

{% highlight python %}
model = BertModel.from_pretrained("bert-base-uncased")
{% endhighlight %}

```html
<p>{{ message }}</p>
```
"""


def test_jekyll_liquid_is_removed_and_raw_bodies_are_kept() -> None:
    record = _record(JEKYLL)
    assert record.title == "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    assert (record.published_at or "").startswith("2019-03-02")
    assert "Figure 1" in record.text
    assert "Google の を読んだ。事前学習した Transformer を微調整する。" in record.text
    assert "テンプレートでは {{ page.title }} と書く。" in record.text  # `{% raw %}`: shown as written
    assert "{%" not in record.text and "site.baseurl" not in record.text and "include" not in record.text
    assert "下書き" not in record.text  # a Liquid comment is never shown
    code = [s.text for s in record.segments if s.kind == "code"]
    # `{% highlight %}` is a code block; a fenced block keeps `{{ }}` (Vue, Jinja) as written
    assert code == ['model = BertModel.from_pretrained("bert-base-uncased")', "<p>{{ message }}</p>"]
    assert not any("figure1" in t or "Deep-Bidirectional" in t or "assets" in t for t in record.tokens)
    assert max(len(t) for t in record.tokens) <= 40


HUGO = """+++
title = "Attention Is All You Need を読む"
date = 2021-05-01T09:00:00+09:00
tags = ["transformer", "paper"]
+++

{{< figure src="/images/transformer-architecture-overview.png" alt="Transformer の構造" >}}

自己注意だけで翻訳する。{{% note %}}実験は WMT 2014。{{% /note %}}

{{< tweet user="someone" id="1234567890" >}}
"""


def test_hugo_toml_front_matter_and_shortcodes() -> None:
    record = _record(HUGO)
    assert record.title == "Attention Is All You Need を読む"
    assert (record.published_at or "").startswith("2021-05-01")
    assert "自己注意だけで翻訳する。実験は WMT 2014。" in record.text
    assert "figure" not in record.text and "tweet" not in record.text and "+++" not in record.text
    _no_markup(record)


PANDOC = """% Deep Residual Learning for Image Recognition
% Kaiming He; Xiangyu Zhang; Shaoqing Ren; Jian Sun
% 2016-06-27

## 概要

残差接続で 152 層を学習する。
"""


def test_pandoc_title_block_gives_title_and_date() -> None:
    record = _record(PANDOC)
    assert record.title == "Deep Residual Learning for Image Recognition"
    assert record.published_at == "2016-06-27"
    assert record.text == "概要\n\n残差接続で 152 層を学習する。"


MYST = """# 論文ノート

```{admonition} Information
**Title:** Attention Is All You Need (NeurIPS 2017)
```

:::{figure-md} fig-arch
<img src="images/architecture.png" alt="アーキテクチャ図" width="400px">

モデルの全体像
:::

```{note}
:class: dropdown
これは **注記** です。
```

```{tip}
ヒント: [原論文](https://arxiv.org/abs/1706.03762) を参照。
```

```{code-block} python
:linenos:
x = 1
```

```{code-cell} ipython3
print(x)
```

```{math}
:label: eq-attn
\\mathrm{Attention}(Q, K, V)
```
"""


def test_myst_directive_bodies_are_markdown_and_code_stays_code() -> None:
    record = _record(MYST)
    assert record.title == "論文ノート"
    lines = record.text.split("\n")
    assert "Information" in lines and "Title: Attention Is All You Need (NeurIPS 2017)" in lines
    assert "アーキテクチャ図" in lines and "モデルの全体像" in lines
    assert "これは 注記 です。" in lines
    assert "ヒント: 原論文 (https://arxiv.org/abs/1706.03762) を参照。" in lines
    code = [s.text for s in record.segments if s.kind == "code"]
    assert code == ["x = 1", "print(x)"]
    assert [s.text for s in record.segments if s.kind == "math"] == ["\\mathrm{Attention}(Q, K, V)"]
    assert "{admonition}" not in record.text and "architecture.png" not in record.text and ":class:" not in record.text
    _no_markup(record)


def test_myst_admonition_holding_a_paper_is_prose_to_every_reader() -> None:
    doc = parse(MYST)
    prose = [b for b in doc.blocks if b.kind not in {"code", "math"}]
    assert any("Attention Is All You Need (NeurIPS 2017)" in b.text for b in prose)


@pytest.mark.parametrize("text", [
    "\ufeff---\ntitle:  BERT: Pre-training of Deep Bidirectional Transformers\ndate: 2019-01-05\n---\n\n本文。\n",
    "\n\n---\ntitle: BERT: Pre-training of Deep Bidirectional Transformers\ndate: 2019-01-05\n---\n本文。\n",
    "---\ntitle: \"BERT: Pre-training of Deep Bidirectional Transformers\"\ndate: 2019-01-05\n...\n本文。\n",
])
def test_lenient_front_matter_still_gives_title_and_date(text: str) -> None:
    record = _record(text)
    assert record.title == "BERT: Pre-training of Deep Bidirectional Transformers"
    assert record.published_at == "2019-01-05"
    assert record.text == "本文。"


def test_invalid_yaml_falls_back_to_key_value_lines() -> None:
    front, body = split_front_matter("---\ntitle: A: B\ntags: [x\ndate: 2020-02-03\n---\n本文\n")
    assert front.kind == "yaml" and front.title == "A: B" and front.date == "2020-02-03"
    assert body.split("\n")[5] == "本文"  # front matter lines kept as blank lines: source lines stay put


def test_a_date_line_is_the_publication_date_without_front_matter() -> None:
    record = _record("# 論文メモ\n\nDate: 2018-07-23\n\n本文。\n")
    assert record.title == "論文メモ"
    assert record.published_at == "2018-07-23"


SETEXT = """Deep Residual Learning
======================

概要
----
残差を学習する。
"""


def test_setext_headings_are_headings() -> None:
    record = _record(SETEXT)
    assert record.title == "Deep Residual Learning"
    assert record.text == "概要\n残差を学習する。"
    assert parse(SETEXT).blocks[1].kind == "heading"


def test_first_heading_of_any_level_is_the_title_without_an_h1() -> None:
    assert _record("- [タグ](/tags/x)\n\n## 概要\n\n### 手法\n\n本文\n").title == "概要"
    assert _record("本文だけ。\n\n## まとめ\n\n# 本当の題\n").title == "本当の題"


HTML = """# HTML の混ざった記事

<details>
<summary>論文情報</summary>

- **Title**: Generative Adversarial Nets
- **Venue**: NeurIPS 2014

</details>

本文に<font color="red">赤字</font>と<span style="color: blue">青字</span>、ここで改行<br>して脚注<sup>1</sup>。

<img src="https://example.org/figures/gan-overview.png" alt="図2: GAN の構造">

<div align="center">
<b>中央寄せ</b>
</div>

<br>
### 3-1. 手法
生成器と識別器を交互に学習する。
"""


def test_raw_html_blocks_and_inline_html_never_stay_as_tags() -> None:
    record = _record(HTML)
    _no_markup(record)
    lines = record.text.split("\n")
    assert "論文情報" in lines and "Title: Generative Adversarial Nets" in lines
    assert "本文に赤字と青字、ここで改行" in lines and "して脚注1。" in lines
    assert "図2: GAN の構造" in lines and "中央寄せ" in lines
    assert "3-1. 手法" in lines and "生成器と識別器を交互に学習する。" in lines  # (after a lone `<br>` line)
    assert "gan-overview" not in record.text


IMAGES = """# 図の多い記事

![図1: 全体像](images/2020-04-07/very-long-relative-image-path-of-the-figure.png)
![](https://example.org/assets/figure-two.png "タイトル")
[![バッジ](badge/build-passing-relative-path.svg)](https://example.org/ci)
詳細は [前回](../2019/previous-post-about-variational-autoencoders.html) を参照。
"""


def test_images_are_alt_text_only_and_relative_paths_never_appear() -> None:
    record = _record(IMAGES)
    # (an image without alt text leaves nothing, not an empty line inside its paragraph)
    assert record.text.split("\n") == ["図1: 全体像", "バッジ (https://example.org/ci)", "詳細は 前回 を参照。"]
    for part in ("images/", "very-long", "figure-two", "badge/", "previous-post"):
        assert part not in record.text
        assert not any(part in t for t in record.tokens)


QIITA_ITEM = {
    "id": "0123456789abcdef0123",
    "title": "Transformer の実装メモ",
    "created_at": "2022-01-02T03:04:05+09:00",
    "updated_at": "2022-01-03T03:04:05+09:00",
    "url": "https://qiita.com/someone/items/0123456789abcdef0123",
    "user": {"id": "someone"},
    "tags": [{"name": "Python"}],
    "body": (
        "###見出し\n\n"
        "コードは \\`backtick\\` で囲む。\n\n"
        "<pre>\ndef attention(q, k, v):\n    w = softmax(q @ k.T)\n    return w @ v\n</pre>\n\n"
        "#include は見出しではない。\n"
    ),
}


def test_qiita_api_item_markdown_quirks() -> None:
    [record] = normalize_bytes(json.dumps(QIITA_ITEM, ensure_ascii=False).encode("utf-8"), source_path="item.json")
    lines = record.text.split("\n")
    assert lines[0] == "見出し"
    assert "コードは `backtick` で囲む。" in lines
    assert "#include は見出しではない。" in lines
    code = [s.text for s in record.segments if s.kind == "code"]
    assert code == ["def attention(q, k, v):\n    w = softmax(q @ k.T)\n    return w @ v"]


def test_tight_heading_is_not_read_inside_code() -> None:
    doc = parse("```python\n#日本語のコメント\nx = 1\n```\n")
    assert [b.kind for b in doc.blocks] == ["code"] and doc.blocks[0].text.startswith("#日本語")


MATH = """# 数式

損失は次の通り。

$$
\\mathcal{L} = -\\sum_i y_i \\log \\hat{y}_i
$$

\\[
\\mathrm{softmax}(x)_i = \\frac{e^{x_i}}{\\sum_j e^{x_j}}
\\]

行内の $x^2$ は本文に残る。
"""


def test_display_math_becomes_verbatim_math_segments_without_tokens() -> None:
    record = _record(MATH)
    math = [s for s in record.segments if s.kind == "math"]
    assert [s.text for s in math] == [
        "\\mathcal{L} = -\\sum_i y_i \\log \\hat{y}_i", "\\mathrm{softmax}(x)_i = \\frac{e^{x_i}}{\\sum_j e^{x_j}}",
    ]
    assert all(s.lang == "und" for s in math)
    assert "行内の $x^2$ は本文に残る。" in record.text.split("\n")
    assert not any("mathcal" in t or "softmax" in t or "frac" in t for t in record.tokens)


def test_math_is_not_nfkc_normalized() -> None:
    record = _record("$$\nＡ + ① = ｶ\n$$\n\n本文\n")
    assert [s.text for s in record.segments if s.kind == "math"] == ["Ａ + ① = ｶ"]


QIITA_DUMP_TAGS_BELOW = """LoginSignup

Attention 論文を読む
====================
* [Python](/tags/python)
* [機械学習](/tags/機械学習)

Posted at 2020-12-21

本文です。
"""

QIITA_DUMP_TAGS_ABOVE = """LoginSignup

* [Python](/tags/python)
* [機械学習](/tags/機械学習)

Attention 論文を読む
====================

Posted at 2020-12-21

本文です。
"""


@pytest.mark.parametrize("dump", [QIITA_DUMP_TAGS_BELOW, QIITA_DUMP_TAGS_ABOVE])
def test_qiita_dump_setext_title_is_not_the_tag_list(dump: str) -> None:
    record = _record(dump, "page.txt")
    assert record.source == "qiita"
    assert record.title == "Attention 論文を読む"
    assert record.published_at == "2020-12-21"
    assert record.text == "本文です。"


def test_text_dump_lines_commonmark_would_misread_stay_text() -> None:
    dump = "メモ\n\n        深くインデントされた行\n1.\n*\n#タグ\n[注]: 補足\n"
    record = _record(dump, "note.txt")
    assert record.text.split("\n") == ["メモ", "", "深くインデントされた行", "1.", "*", "#タグ", "[注]: 補足"]
    assert all(s.kind == "text" for s in record.segments)


def test_json_lines_escape_the_characters_line_readers_split_at() -> None:
    record = _record("# 改行文字\n\n```\na\u2028b\u2029c\x85d\n```\n")
    line = dumps(record)
    assert "\u2028" not in line and "\u2029" not in line and "\x85" not in line
    assert "\\u2028" in line and "\\u2029" in line and "\\u0085" in line
    assert line.splitlines() == [line]
    assert Record.model_validate_json(line) == record
