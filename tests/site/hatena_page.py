"""Hatena Blog entry page HTML: the real page structure (header chrome, article, footer, sidebar modules)."""

from __future__ import annotations

import re
from datetime import UTC
from html import escape
from urllib.parse import quote

from .content import HatenaBlog, HatenaEntry


def summary(entry: HatenaEntry, limit: int = 80) -> str:
    """Plain-text excerpt of the entry body."""
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", entry.html)).strip()
    return text if len(text) <= limit else text[:limit] + "…"


def _categories(blog_url: str, entry: HatenaEntry) -> str:
    return "\n".join(
        f'<a href="{blog_url}/archive/category/{quote(c)}" class="entry-category-link category-{escape(c)}">{escape(c)}</a>'
        for c in entry.categories
    )


def entry_page(blog: HatenaBlog, entry: HatenaEntry, blog_url: str) -> str:
    """The full entry page; blog_url is the blog base under the fixture site (no trailing slash)."""
    url = blog_url + entry.path
    title, blog_title = escape(entry.title), escape(blog.title)
    utc = entry.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    day = entry.published
    recent = "\n".join(
        f'<li class="urllist-item recent-entries-item"><div class="urllist-item-inner recent-entries-item-inner">'
        f'<a href="{blog_url}{e.path}" class="urllist-title-link recent-entries-title-link">{escape(e.title)}</a></div></li>'
        for e in sorted(blog.entries, key=lambda e: e.published, reverse=True)[:5]
    )
    return f"""<!DOCTYPE html>
<html
  lang="ja"
  data-admin-domain="//blog.hatena.ne.jp"
  data-admin-origin="https://blog.hatena.ne.jp"
  data-author="{blog.author}"
  data-avail-langs="ja en"
  data-blog="{blog.host}"
  data-blog-host="{blog.host}"
  data-blog-is-public="1"
  data-blog-name="{blog_title}"
  data-blog-owner="{blog.author}"
  data-blog-uri="{blog_url}/"
  data-brand="hatenablog"
  data-data-layer="{{}}"
  data-device="pc"
  data-page="entry"
  data-page-id="{entry.entry_id}"
  data-permalink-entry-id="{entry.entry_id}"
  itemscope
  itemtype="http://schema.org/Article"
>
<head prefix="og: http://ogp.me/ns# fb: http://ogp.me/ns/fb# article: http://ogp.me/ns/article#">
<meta charset="utf-8"/>
<meta http-equiv="X-UA-Compatible" content="IE=7; IE=9; IE=10; IE=11" />
<title>{title} - {blog_title}</title>
<link rel="shortcut icon" href="https://{blog.host}/icon/favicon">
<link rel="alternate" type="application/atom+xml" title="Atom" href="{blog_url}/feed"/>
<link rel="alternate" type="application/rss+xml" title="RSS2.0" href="{blog_url}/rss"/>
<link rel="canonical" href="{url}"/>
<meta property="og:title" content="{title} - {blog_title}" />
<meta property="og:type" content="article" />
<meta property="og:url" content="{url}" />
<meta property="og:description" content="{escape(summary(entry))}" />
<meta property="og:site_name" content="{blog_title}" />
<meta property="article:published_time" content="{int(entry.published.timestamp())}" />
<meta name="description" content="{escape(summary(entry))}" />
<meta name="twitter:card" content="summary" />
<link rel="stylesheet" type="text/css" href="https://cdn.blog.st-hatena.com/css/blog.css?version=fixture"/>
<script type="application/ld+json">{{"@context":"http://schema.org","@type":"Article","headline":"{title}"}}</script>
</head>
<body class="page-entry enable-top-editarea enable-bottom-editarea globalheader-visible">
<div id="globalheader-container" data-brand="hatenablog" style="display: none">
  <iframe id="globalheader" height="37" frameborder="0" allowTransparency="true"></iframe>
</div>
<div id="container">
<div id="container-inner">
<header id="blog-title" data-brand="hatenablog">
  <div id="blog-title-inner"><div id="blog-title-content">
    <h1 id="title"><a href="{blog_url}/">{blog_title}</a></h1>
    <h2 id="blog-description">{escape(blog.description)}</h2>
  </div></div>
</header>
<div id="top-editarea"><p>いつも読んでくださってありがとうございます。</p></div>
<div id="content" class="hfeed"><div id="content-inner"><div id="wrapper"><div id="main"><div id="main-inner">
<article class="entry hentry test-hentry js-entry-article date-first autopagerize_page_element chars-400 words-100 mode-html entry-odd" id="entry-{entry.entry_id}" data-keyword-campaign="" data-uuid="{entry.entry_id}" data-publication-type="entry">
  <div class="entry-inner">
    <header class="entry-header">
      <div class="date entry-date first">
        <a href="{blog_url}/archive/{day:%Y/%m/%d}" rel="nofollow">
          <time datetime="{utc}" title="{utc}">
            <span class="date-year">{day:%Y}</span><span class="hyphen">-</span><span class="date-month">{day:%m}</span><span class="hyphen">-</span><span class="date-day">{day:%d}</span>
          </time>
        </a>
      </div>
      <h1 class="entry-title">
        <a href="{url}" class="entry-title-link bookmark">{title}</a>
      </h1>
      <div class="entry-categories categories">
        {_categories(blog_url, entry)}
      </div>
    </header>
    <div class="entry-content hatenablog-entry">
{entry.html}
    </div>
    <footer class="entry-footer">
      <p class="entry-footer-section track-inview-by-gtm" data-gtm-track-json="{{&quot;area&quot;: &quot;finish_reading&quot;}}">
        <span class="author vcard"><span class="fn" data-load-nickname="1" data-user-name="{blog.author}" >{blog.author}</span></span>
        <span class="entry-footer-time"><a href="{url}"><time data-relative datetime="{utc}" title="{utc}" class="updated">{day:%Y-%m-%d %H:%M}</time></a></span>
      </p>
      <div class="hatena-star-container" data-hatena-star-container data-hatena-star-url="{url}" data-hatena-star-title="{title}" data-hatena-star-variant="profile-icon"></div>
      <div class="social-buttons">
        <div class="social-button-item"><a href="https://b.hatena.ne.jp/entry/s/{blog.host}{entry.path}" class="hatena-bookmark-button" data-hatena-bookmark-url="{url}" data-hatena-bookmark-layout="vertical-balloon" data-hatena-bookmark-lang="ja" title="この記事をはてなブックマークに追加"><img src="https://b.st-hatena.com/images/entry-button/button-only.gif" alt="この記事をはてなブックマークに追加" width="20" height="20" style="border: none;" /></a></div>
        <div class="social-button-item"><a href="https://twitter.com/share" class="twitter-share-button" data-url="{url}" data-text="{title}">ツイート</a></div>
      </div>
      <div class="customized-footer"></div>
      <div class="comment-box js-comment-box">
        <ul class="comment js-comment"><li class="read-more-comments" style="display: none;"><a>もっと読む</a></li></ul>
        <a class="leave-comment-title js-leave-comment-title">コメントを書く</a>
      </div>
    </footer>
  </div>
</article>
<div class="pager pager-permalink permalink"><span class="pager-prev"><a href="{blog_url}/" rel="prev">トップへ</a></span></div>
</div></div>
<aside id="box2"><div id="box2-inner">
  <div class="hatena-module hatena-module-profile">
    <div class="hatena-module-title">プロフィール</div>
    <div class="hatena-module-body">
      <a href="{blog_url}/about" class="profile-icon-link"><img src="https://cdn.profile-image.st-hatena.com/users/{blog.author}/profile.png" alt="id:{blog.author}" class="profile-icon" /></a>
      <span class="id"><a href="{blog_url}/about" class="hatena-id-link"><span data-load-nickname="1" data-user-name="{blog.author}">id:{blog.author}</span></a></span>
      <div class="hatena-follow-button-box btn-subscribe js-hatena-follow-button-box">
        <a href="#" class="hatena-follow-button js-hatena-follow-button"><span class="subscribing"><span class="foreground">読者です</span><span class="background">読者をやめる</span></span><span class="unsubscribing"><span class="foreground">読者になる</span><span class="background">読者になる</span></span></a>
        <div class="subscription-count-box js-subscription-count-box"><i></i><u></u><span class="subscription-count js-subscription-count"></span></div>
      </div>
      <div class="profile-about"><a href="{blog_url}/about">このブログについて</a></div>
    </div>
  </div>
  <div class="hatena-module hatena-module-search-box">
    <div class="hatena-module-title">検索</div>
    <div class="hatena-module-body"><form class="search-form" role="search" action="{blog_url}/search" method="get"><input type="text" name="q" class="search-module-input" value="" placeholder="記事を検索" required><input type="submit" value="" class="search-module-button" /></form></div>
  </div>
  <div class="hatena-module hatena-module-recent-entries">
    <div class="hatena-module-title"><a href="{blog_url}/archive">最新記事</a></div>
    <div class="hatena-module-body"><ul class="recent-entries hatena-urllist">
{recent}
    </ul></div>
  </div>
</div></aside>
</div></div></div>
<footer id="footer" data-brand="hatenablog"><div id="footer-inner">
  <address class="footer-address"><a href="{blog_url}/"><span class="footer-address-name">{blog_title}</span></a></address>
  <p class="services">Powered by <a href="https://hatena.blog/">Hatena Blog</a> | <a href="https://blog.hatena.ne.jp/-/abuse_report" target="_blank" class="report-abuse-link">ブログを報告する</a></p>
</div></footer>
</div></div>
<script src="https://cdn.blog.st-hatena.com/js/external/jquery.min.js" integrity="" crossorigin="anonymous"></script>
<script src="https://cdn.blog.st-hatena.com/js/blog.js" crossorigin="anonymous"></script>
</body>
</html>
"""
