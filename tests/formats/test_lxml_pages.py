"""Pages parsed with lxml read as they did with BeautifulSoup: declarations, comments, hidden and removed elements,
templates, text split by a stray doctype, markup after `</html>`, and nesting past libxml2's tree limits."""

from __future__ import annotations

import json

import pytest

from notepipe.formats import Extracted, Input, decode, extract
from notepipe.formats._html_markdown import Drop

QIITA_HEAD = (
    '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>LoRA を読んだ - Qiita</title>'
    '<meta property="og:site_name" content="Qiita">'
    '<link rel="canonical" href="https://qiita.com/kaede_ml/items/3f2a9c1b7d4e5f60a1b2"></head><body>'
)
HATENA_HEAD = '<!DOCTYPE html><html lang="ja" data-blog="kaede.hatenablog.com"><head><title>ノート</title></head><body>'


def _page(html: str, path: str = "page.html") -> Extracted:
    [post] = extract(Input(text=html, path=path))
    return post


def test_xml_declaration_in_a_decoded_page() -> None:
    # lxml refuses a str that declares its encoding; the page arrives here already decoded from Shift_JIS.
    xhtml = (
        '<?xml version="1.0" encoding="Shift_JIS"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="ja"><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS" /><title>ResNet を読んだ</title>'
        '</head><body><div id="content"><h1>ResNet を読んだ</h1><p>残差接続で 152 層まで深くできる。</p></div>'
        "</body></html>"
    )
    post = _page(decode(xhtml.encode("cp932")))
    assert post.title == "ResNet を読んだ"
    assert post.body == "# ResNet を読んだ\n\n残差接続で 152 層まで深くできる。"


def test_comments_between_text_leave_their_surroundings_apart() -> None:
    post = _page(
        "<html><body><article><p>注意機構は<!-- TODO: 図を足す -->系列の全位置を同時に見る。</p>"
        "<p>前半 <!-- 注 --> 後半</p></article></body></html>"
    )
    # Text on either side of a comment stays two strings, each with its spaces collapsed on its own.
    assert post.body == "注意機構は系列の全位置を同時に見る。\n\n前半  後半"


def test_hidden_elements_are_left_out() -> None:
    post = _page(
        "<html><body><article><p>見える段落。</p><div hidden>隠し1</div><p class=\"note hidden\">隠し2</p>"
        '<p style="display: none">隠し3</p><span aria-hidden="true">隠し4</span><p>最後の段落。</p>'
        "</article></body></html>"
    )
    assert post.body == "見える段落。\n\n最後の段落。"


def test_removed_chrome_keeps_the_text_that_follows_it() -> None:
    qiita = _page(
        QIITA_HEAD + '<div id="personal-public-article-body"><div class="mdContent-inner">'
        '<p>学習率は 1e-4 にした<a class="footnotes-ref-link" href="#fn1">[1]</a>。結果は良好だった。</p>'
        '<div class="code-frame" data-lang="python"><div class="code-lang"><span class="bold">train.py</span></div>'
        '<div class="highlight"><pre><code>lr = 1e-4\nmodel.fit(x)</code></pre></div></div></div></div></body></html>'
    )
    assert qiita.body == "学習率は 1e-4 にした。結果は良好だった。\n\n```python\nlr = 1e-4\nmodel.fit(x)\n```"
    hatena = _page(
        HATENA_HEAD + '<article class="entry"><h1 class="entry-title">Mamba を読む</h1>'
        '<div class="entry-content hatenablog-entry"><p>前段の説明。</p>'
        '<div class="table-of-contents"><a href="#a">目次</a></div>目次の後ろの地の文。'
        '<div class="hatena-module">モジュール</div></div></article></body></html>'
    )
    assert hatena.body == "前段の説明。\n\n目次の後ろの地の文。"
    generic = _page(
        "<html><head><title>メモ</title></head><body><article><p>本文の段落。</p>"
        "<aside>関連記事へのリンク</aside>aside の後ろの地の文。</article></body></html>"
    )
    assert generic.body == "本文の段落。\n\naside の後ろの地の文。"


def test_ten_thousand_levels_of_nesting() -> None:
    # libxml2 stops building a tree at 256 levels; such pages are built from the parser's events instead.
    nested = "<div>" * 10_000 + "<p>深い入れ子の中の本文です。</p>" + "</div>" * 10_000
    post = _page(
        f"<!DOCTYPE html><html><head><title>深い入れ子</title></head><body><article>{nested}"
        '<p><time datetime="2024-06-01T09:00:00+09:00">6月1日</time></p></article></body></html>'
    )
    assert post.body == "深い入れ子の中の本文です。\n\n6月1日"
    assert post.title == "深い入れ子" and post.published_at == "2024-06-01T09:00:00+09:00"


@pytest.mark.parametrize("levels", [300, 1_000])
def test_a_page_past_the_tree_limit_reads_as_the_same_page_within_it(levels: int) -> None:
    body = (
        '<h2>手法</h2><p>低ランク行列 <code>A</code> と <code>B</code> だけを<a href="/kaede_ml/items/1">学習</a>する。</p>'
        "<ul><li>ランク r = 8</li><li>学習率 1e-4</li></ul><table><tr><th>設定</th><th>精度</th></tr>"
        "<tr><td>LoRA</td><td>90.2</td></tr></table>"
        '<pre data-lang="python"><code>W = W0 + B @ A</code></pre><blockquote><p>引用した一文。</p></blockquote>'
    )
    shallow = _page(QIITA_HEAD + f'<div id="personal-public-article-body">{body}</div></body></html>')
    deep = _page(
        QIITA_HEAD + '<div id="personal-public-article-body">' + "<div>" * levels + body + "</div>" * levels
        + "</div></body></html>"
    )
    if levels < 400:  # past 400 levels the body keeps its words but loses its markdown (as it always did)
        assert deep == shallow
    else:
        assert deep.title == shallow.title and "低ランク行列" in deep.body and "W = W0 + B @ A" in deep.body
    assert shallow.body.startswith("## 手法\n\n低ランク行列 `A` と `B` だけを[学習](https://qiita.com/kaede_ml/items/1)する。")


def test_markup_after_the_closing_html_tag() -> None:
    post = _page(
        "<!DOCTYPE html><html><head><title>末尾に追記があるページ</title></head><body><article>"
        '<p>本文はここまで。</p></article></body></html>\n<script>track("pv")</script><div>追記された広告</div>\n'
    )
    assert post.body == "本文はここまで。" and post.title == "末尾に追記があるページ"


def test_a_doctype_inside_the_page_splits_the_text_around_it() -> None:
    post = _page(
        '<html><body><article><p>貼り付けた埋め込みの前。</p><div class="embed"><!DOCTYPE html><p>埋め込みの本文</p>'
        "</div><p>前半 <!DOCTYPE html> 後半</p></article></body></html>"
    )
    assert post.body == "貼り付けた埋め込みの前。\n\n埋め込みの本文\n\n前半  後半"


def test_selectors_do_not_reach_into_templates() -> None:
    post = _page(
        QIITA_HEAD + '<template id="card"><div id="personal-public-article-body"><p>テンプレートの中身</p></div>'
        '</template><div id="personal-public-article-body"><p>本物の本文。</p></div></body></html>'
    )
    assert post.body == "本物の本文。"


def test_ruby_readings_are_left_out_of_body_and_title() -> None:
    post = _page(
        HATENA_HEAD + '<article class="entry"><h1 class="entry-title"><ruby>注意<rp>(</rp><rt>ちゅうい</rt><rp>)</rp>'
        '</ruby>機構の論文</h1><div class="entry-content hatenablog-entry"><p><ruby>系列<rt>けいれつ</rt></ruby>を読む。</p>'
        "</div></article></body></html>"
    )
    assert post.title == "注意機構の論文"
    assert post.body == "系列を読む。"


def test_inline_markup_in_a_title_joins_words_as_written() -> None:
    """Japanese has no spaces between words: a title's inline elements must not add any, while block edges and
    <br> still separate words."""
    post = _page(
        HATENA_HEAD + '<article class="entry"><h1 class="entry-title"><a class="entry-title-link" href="/entry/1">'
        "注意<b>機構</b>の <code>BERT</code>メモ<!-- 下書き -->と<span>改良</span><br>第2回</a></h1>"
        '<div class="entry-content hatenablog-entry"><p>本文。</p></div></article></body></html>'
    )
    assert post.title == "注意機構の BERTメモと改良 第2回"


def test_line_breaks_and_whitespace_inside_code() -> None:
    post = _page(
        "<html><body><article><p>一行目<br>二行目<br/>三行目</p>"
        '<p>次は <code><span class="n">fit</span>   <span class="p">()</span></code> を呼ぶ。</p>'
        '<p>書き方は <code><span class="n">model</span> =\n<span class="n">Net</span>()</code> です。</p>'
        "</article></body></html>"
    )
    # Whitespace-only strings in inline code became one space (or one newline), as BeautifulSoup stored them.
    assert post.body == "一行目\n二行目\n三行目\n\n次は `fit ()` を呼ぶ。\n\n書き方は model =\nNet() です。"


def test_qiita_api_rendered_body_is_parsed_the_same_way() -> None:
    item = {
        "title": "DDPM を読んだ", "user": {"id": "kaede_ml"}, "body": "",
        "rendered_body": '<p>拡散過程<!-- 後で図 -->を逆にたどる<a class="footnotes-ref-link" href="#fn1">[1]</a>。</p>'
                         '<div class="code-frame" data-lang="py"><div class="code-lang">ddpm.py</div><pre>x_t = q(x_0)</pre></div>',
    }
    [post] = extract(Input(text=json.dumps(item, ensure_ascii=False), path="item.json"))
    assert post.body == "拡散過程を逆にたどる。\n\n```py\nx_t = q(x_0)\n```"


def test_a_page_of_only_a_comment_has_an_empty_body() -> None:
    post = _page("<!-- 保存したページ -->")
    assert post.body == "" and post.format == "html"


def test_hatena_date_inside_a_removed_widget() -> None:
    # The entry date is read before the body drops its widgets (BeautifulSoup raised AttributeError here).
    post = _page(
        HATENA_HEAD + '<article class="entry"><h1 class="entry-title">題</h1><div class="entry-content hatenablog-entry">'
        '<p>本文。</p><div class="hatena-module"><time datetime="2024-02-03T10:00:00+09:00">2024-02-03</time></div>'
        "</div></article></body></html>"
    )
    assert post.body == "本文。" and post.published_at == "2024-02-03T10:00:00+09:00"


def test_drop_accepts_only_the_simple_selectors_it_implements() -> None:
    assert Drop("nav", ".alert", "a.anchor", "[role=banner]", "[class*=share]").selectors
    with pytest.raises(ValueError, match="unsupported selector"):
        Drop("article .entry-footer")


@pytest.mark.parametrize("tag", ["b", "em", "blockquote", "h2", "span", "div"])
def test_deep_nesting_of_any_element_keeps_the_words(tag: str) -> None:
    """Inline and quoting elements recurse more per level than blocks; 500 levels of any of them must not hit
    Python's recursion limit (it used to, past ~330 levels of <b>, <blockquote> or <h2>)."""
    nested = f"<{tag}>" * 500 + "<p>深い入れ子の中の本文です。</p>" + f"</{tag}>" * 500
    post = _page(f"<!DOCTYPE html><html><head><title>入れ子</title></head><body><article>{nested}</article></body></html>")
    assert "深い入れ子の中の本文です。" in post.body
