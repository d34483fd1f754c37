"""Page furniture for the synthetic corpus's HTML pages, at the size real article pages carry it.

A real Qiita article page is ~50–150 KB and a Hatena entry ~40–80 KB, most of it not the post: preload and
script tags, a global header, a sidebar of related or recent entries, the page state as inline JSON (on Qiita it
repeats the whole article), an archive calendar and a footer. Extractors that parse only what they need win on
such pages; a benchmark on bare article markup would hide that. Every string here is our own; structure follows
our fixtures (`tests/fixtures/formats/`, `tests/site/`).
"""

from __future__ import annotations

import html
import json
import random

_QIITA_NAV = ["Home", "Trend", "Question", "Official Event", "Official Column", "Career", "Organization",
              "Advent Calendar", "Qiita Conference", "Community Guideline"]
_HATENA_MODULES = ["プロフィール", "検索", "リンク", "最新記事", "月別アーカイブ", "カテゴリー"]


def _asset(rng: random.Random, kind: str) -> str:
    return f"https://cdn.example-assets.net/{kind}/{rng.getrandbits(64):016x}.{kind}"


def qiita_head(rng: random.Random, description: str) -> str:
    """Preloads, stylesheets, async scripts and meta tags of an article page's `<head>`."""
    tags = [f'<meta name="description" content="{html.escape(description[:180])}">',
            f'<meta name="csrf-token" content="{rng.getrandbits(128):032x}">',
            '<meta name="twitter:card" content="summary_large_image">',
            f'<meta property="og:image" content="{_asset(rng, "png")}">']
    tags += [f'<link rel="preload" as="script" href="{_asset(rng, "js")}">' for _ in range(24)]
    tags += [f'<link rel="stylesheet" href="{_asset(rng, "css")}">' for _ in range(4)]
    tags += [f'<script async src="{_asset(rng, "js")}"></script>' for _ in range(8)]
    tags.append("<style>" + "".join(f".css-{rng.getrandbits(32):x}{{margin:{i}px;display:flex}}"
                                    for i in range(120)) + "</style>")
    return "\n".join(tags)


def qiita_header() -> str:
    """The global header: logo, search form, navigation, login."""
    nav = "".join(f'<li><a href="/{item.lower().replace(" ", "-")}" class="st-Nav_link">{item}</a></li>'
                  for item in _QIITA_NAV)
    return (f'<header id="GlobalHeader" class="st-Header"><a href="/" aria-label="Qiita">Qiita</a>'
            f'<form action="/search" role="search"><input name="q" placeholder="Search"></form>'
            f'<nav><ul class="st-Nav">{nav}</ul></nav>'
            f'<a href="/login" class="st-Header_login">Login</a><a href="/signup">Signup</a></header>')


def qiita_sidebar(rng: random.Random, titles: list[str]) -> str:
    """Related articles and trending tags beside the article."""
    related = "".join(
        f'<li class="css-rel{i}"><a href="/user{rng.randint(1, 400)}/items/{rng.getrandbits(80):020x}">'
        f'{html.escape(t)}</a><span class="css-likes">{rng.randint(1, 900)}</span></li>'
        for i, t in enumerate(titles))
    trend = "".join(f'<a href="/tags/t{i}" class="css-tag">tag{i}</a>' for i in range(30))
    return (f'<aside class="css-sidebar"><section><h2>Related articles</h2><ol>{related}</ol></section>'
            f'<section><h2>Trending tags</h2><div>{trend}</div></section></aside>')


def qiita_store(title: str, author: str, body_markdown: str, body_html: str) -> str:
    """The page state as inline JSON: Qiita's client app reads the article from it, so it repeats the body."""
    state = {"article": {"title": title, "author": {"urlName": author}, "body": body_markdown,
                         "renderedBody": body_html, "likesCount": 12, "stockCount": 3},
             "currentUser": None, "snackbar": {"snackbars": []}, "flags": [f"flag_{i}" for i in range(40)]}
    text = json.dumps(state, ensure_ascii=False).replace("</", "<\\/")
    return (f'<script type="application/json" data-js-react-on-rails-store="AppStoreWithReactOnRails">'
            f"{text}</script>")


def qiita_footer() -> str:
    """The footer's link columns."""
    cols = "".join(f'<div class="st-Footer_col"><h3>Column {c}</h3><ul>'
                   + "".join(f'<li><a href="/about/{c}-{i}">Footer link {c}-{i}</a></li>' for i in range(10))
                   + "</ul></div>" for c in range(5))
    return f'<footer class="st-Footer">{cols}<p>© Qiita-like footer text</p></footer>'


def hatena_head(rng: random.Random, description: str) -> str:
    """Scripts, stylesheets and the data-layer tag of a Hatena entry page's `<head>`."""
    tags = [f'<meta name="description" content="{html.escape(description[:160])}">',
            '<meta name="twitter:card" content="summary">']
    tags += [f'<link rel="stylesheet" type="text/css" href="{_asset(rng, "css")}">' for _ in range(6)]
    tags += [f'<script src="{_asset(rng, "js")}"></script>' for _ in range(14)]
    layer = json.dumps({"blog": {"lang": "ja", "ads": [f"slot-{i}" for i in range(60)]},
                        "user": {"plan": "free"}, "page": {"type": "entry"}})
    tags.append(f'<script id="embed-gtm-data-layer-loader" data-data-layer-page-specific="{html.escape(layer)}">'
                + "window.dataLayer=window.dataLayer||[];" * 40 + "</script>")
    return "\n".join(tags)


def hatena_sidebar(rng: random.Random, host: str, titles: list[str]) -> str:
    """The sidebar modules: profile, search, recent entries, the monthly archive, categories."""
    recent = "".join(f'<li class="urllist-item recent-entries-item"><a href="https://{host}/entry/{rng.getrandbits(40):x}"'
                     f' class="urllist-title-link">{html.escape(t)}</a></li>' for t in titles)
    months = "".join(f'<li class="archive-module-month"><a href="https://{host}/archive/{y}/{m:02d}">{y}/{m:02d}'
                     f' ({rng.randint(1, 9)})</a></li>' for y in range(2018, 2025) for m in range(1, 13))
    cats = "".join(f'<li><a href="https://{host}/archive/category/c{i}">カテゴリ{i} ({i + 1})</a></li>'
                   for i in range(20))
    body = [f'<div class="hatena-module hatena-module-profile"><div class="hatena-module-title">{_HATENA_MODULES[0]}'
            f'</div><div class="hatena-module-body"><p>機械学習の論文を読むのが趣味です。</p></div></div>',
            f'<div class="hatena-module hatena-module-search-box"><form action="https://{host}/search">'
            '<input name="q"></form></div>',
            f'<div class="hatena-module hatena-module-recent-entries"><ul class="recent-entries hatena-urllist">'
            f"{recent}</ul></div>",
            f'<div class="hatena-module hatena-module-archive"><ul class="hatena-urllist">{months}</ul></div>',
            f'<div class="hatena-module hatena-module-category"><ul class="hatena-urllist">{cats}</ul></div>']
    return f'<aside id="box2"><div id="box2-inner">{"".join(body)}</div></aside>'


def hatena_footer() -> str:
    """The global header frame and footer of every Hatena blog page."""
    return ('<footer id="footer"><div class="footer-box"><p>Powered by Hatena Blog</p>'
            '<p><a href="https://blog.hatena.ne.jp/guide/report">ブログを報告する</a></p></div></footer>')
