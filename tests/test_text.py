"""Markdown → plain text, code blocks verbatim, NFKC and whitespace."""

from __future__ import annotations

from notepipe.formats.generic import from_markdown
from notepipe.text import clean, nfkc


def _text(markdown: str) -> str:
    return clean(markdown)[0]


def test_markup_is_reduced_and_link_urls_kept() -> None:
    line = "**太字**と*強調*、[論文ページ](https://arxiv.org/abs/1706.03762)と![図1](img/fig1.png)、~~削除~~"
    assert _text(line) == "太字と強調、論文ページ (https://arxiv.org/abs/1706.03762)と図1、削除"


def test_relative_link_keeps_its_label_only() -> None:
    assert _text("詳細は [前回の記事](../2019/vae.html) と [節](#method) を参照") == "詳細は 前回の記事 と 節 を参照"


def test_link_whose_text_is_the_url_is_not_doubled() -> None:
    assert _text("[https://example.org/a](https://example.org/a)") == "https://example.org/a"
    assert _text("<https://example.org/b>") == "https://example.org/b"


def test_link_url_is_kept_as_written_not_percent_encoded() -> None:
    assert _text("[注意](https://ja.wikipedia.org/wiki/注意機構)") == "注意 (https://ja.wikipedia.org/wiki/注意機構)"


def test_snake_case_and_arithmetic_are_not_emphasis() -> None:
    assert _text("use_cache_dir と 2 * 3 * 4") == "use_cache_dir と 2 * 3 * 4"


def test_code_span_keeps_its_markup_characters() -> None:
    assert _text("`**kwargs` を渡す") == "**kwargs を渡す"


def test_headings_quotes_bullets_are_stripped() -> None:
    text, _ = clean("## 概要\n> *Attention Is All You Need*\n> - どんなもの?\n>   - 翻訳モデル\n1. 番号付き")
    assert text.split("\n") == ["概要", "Attention Is All You Need", "どんなもの?", "翻訳モデル", "1. 番号付き"]


def test_code_blocks_are_verbatim_with_indentation() -> None:
    md = "説明です。\n\n```python\ndef f(x):\n    if x:\n        return  x  # ２つ\n```\n\n続き。"
    _, blocks = clean(md)
    code = [b for b in blocks if b.kind == "code"]
    assert code[0].text == "def f(x):\n    if x:\n        return  x  # ２つ"  # not NFKC'd, spaces kept
    text, _ = clean(md)
    assert "        return  x  # ２つ" in text


def test_unclosed_fence_keeps_the_rest_as_code() -> None:
    _, blocks = clean("前文\n```\nx = 1\n  y = 2")
    assert blocks[-1].kind == "code"
    assert blocks[-1].text == "x = 1\n  y = 2"


def test_nfkc_and_ideographic_space() -> None:
    assert nfkc("ＢＥＲＴ：　Ｐｒｅ") == "BERT: Pre"
    text, _ = clean("*BERT: Pre-training for\u3000Language*  ")
    assert text == "BERT: Pre-training for Language"


def test_leftover_html_is_removed_outside_code() -> None:
    text, _ = clean(">   - Group Normalization</pre></div>\n\n```html\n<div>kept</div>\n```")
    assert "Group Normalization\n" in text + "\n"
    assert "</pre>" not in text.split("\n")[0]
    assert "<div>kept</div>" in text


def test_tables_become_cells_and_separators_vanish() -> None:
    text, _ = clean("| 項目 | リンク |\n|---|---|\n| 原論文 | [arXiv](https://arxiv.org/abs/2010.11929) |")
    assert text.split("\n") == ["項目 リンク", "原論文 arXiv (https://arxiv.org/abs/2010.11929)"]


def test_title_line_at_head_is_dropped_once() -> None:
    text, _ = clean("# 論文メモ\n\n本文。\n\n# 論文メモ", title="論文メモ")
    assert text == "本文。\n\n論文メモ"


def test_setext_heading_underline_is_removed() -> None:
    text, _ = clean("Deep Residual Learning\n===\n\n本文")
    assert text == "Deep Residual Learning\n\n本文"


def test_blank_runs_collapse_to_one_paragraph_break() -> None:
    text, _ = clean("一\n\n\n\n二   三\t四\n\n\n")
    assert text == "一\n\n二 三 四"


def test_clean_is_idempotent_on_prose() -> None:
    md = "# 見出し\n\n- **要点**: [リンク](https://x.org)\n> 引用 *強調*\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    once, _ = clean(md)
    twice, _ = clean(once)
    assert twice == once


def test_ruby_readings_in_inline_html_are_left_out() -> None:
    text, _ = clean("<ruby>系列<rp>(</rp><rt>けいれつ</rt><rp>)</rp></ruby>変換と<RUBY>注意<RT class=r>ちゅうい</RT></RUBY>機構")
    assert text == "系列変換と注意機構"


def test_markdown_heading_title_is_plain_text() -> None:
    post = from_markdown("# [BERT](https://arxiv.org/abs/1810.04805) を**読む** `v2` <b>改</b>\n\n本文です。\n")
    assert post.title == "BERT を読む v2 改"
    assert from_markdown("# [](https://example.org/x)\n\n本文\n").title == "https://example.org/x"
    assert from_markdown("# <b></b>\n\n本文\n").title is None
    assert from_markdown("# 2 * 3 * 4 の計算\n\n本文\n").title == "2 * 3 * 4 の計算"
