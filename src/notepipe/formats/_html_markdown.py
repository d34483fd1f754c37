"""HTML → markdown for article bodies: parse once with lxml, keep code verbatim, never run or keep scripts."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from notepipe.formats._page import BLOCK, Element, Page, get_text, parse, text_of

__all__ = ["Drop", "Page", "canonical", "is_hidden", "meta", "parse", "text_of", "to_markdown"]

# Never the author's prose: executable, invisible, interactive or form content (Qiita hides the raw
# markdown in a textarea inside the article body).
_SKIP = frozenset(
    {"script", "style", "noscript", "template", "textarea", "form", "button", "svg", "iframe", "select",
     "input", "head", "meta", "link", "nav", "object", "embed", "canvas", "dialog",
     "rt", "rp"}  # ruby readings and their parentheses: 系列<rt>けいれつ</rt> is the text 系列, not 系列けいれつ
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Pathological nesting: past this depth the words are kept and the structure dropped. Depth counts recursion,
# not levels: a block level costs one (_walk → _element → _walk), an inline one two (… → _inline → _walk), so
# 400 block or 200 inline levels stay inside Python's default recursion limit of 1,000.
_MAX_DEPTH = 400
_BLANKS = re.compile(r"\n{3,}")
_SPACES = re.compile(r"\s+")
_NEWLINES = re.compile(r"\s*\n\s*")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_LANG = re.compile(r"[\w+#.-]{1,20}")
_SELECTOR = re.compile(r"(?P<tag>[\w-]+)?(?:\.(?P<cls>[\w-]+))?(?:\[(?P<attr>[\w-]+)(?P<op>\*?=)(?P<value>[^\]]+)\])?")


# Not lxml's cssselect (a further dependency): matching these selectors through its XPath took 2.8x (whole page,
# then set lookups) to 7x (per element) as long; soupsieve matches only BeautifulSoup trees.
class Drop:
    """Elements to leave out of a body, as simple CSS selectors: `tag`, `.class`, `tag.class`, `[attr=value]` and
    `[attr*=part]` (class names compared one by one, as BeautifulSoup split them).
    """

    def __init__(self, *selectors: str) -> None:
        self.selectors = selectors
        tags: set[str] = set()
        self._classes: dict[str | None, set[str]] = {}  # tag (None: any) → class names
        self._equals: dict[str, set[str]] = {}
        self._contains: dict[str, list[str]] = {}
        for selector in selectors:
            m = _SELECTOR.fullmatch(selector)
            if m is None or not any(m.group("tag", "cls", "attr")) or (m["attr"] and (m["tag"] or m["cls"])):
                raise ValueError(f"unsupported selector: {selector!r}")
            if m["cls"]:
                self._classes.setdefault(m["tag"], set()).add(m["cls"])
            elif m["attr"]:
                if m["op"] == "=":
                    self._equals.setdefault(m["attr"], set()).add(m["value"])
                else:
                    self._contains.setdefault(m["attr"], []).append(m["value"])
            else:
                tags.add(m["tag"])
        self._tags = frozenset(tags)

    def __call__(self, el: Element) -> bool:
        """True when the element matches one of the selectors."""
        tag = el.tag
        if tag in self._tags:
            return True
        get = el.get
        if self._classes and (cls := get("class")):
            for token in cls.split():
                if token in self._classes.get(None, ()) or token in self._classes.get(tag, ()):
                    return True
        for attr, values in self._equals.items():
            if get(attr) in values:
                return True
        for attr, parts in self._contains.items():
            if (value := get(attr)) and any(part in value for part in parts):
                return True
        return False


def is_hidden(el: Element) -> bool:
    """True for elements a reader never sees (hidden attribute, `hidden` class, display:none)."""
    get = el.get
    if get("hidden") is not None or get("aria-hidden") == "true":
        return True
    cls = get("class")
    if cls and "hidden" in cls.split():
        return True
    style = get("style")
    return style is not None and "display:none" in style.replace(" ", "").lower()


def to_markdown(root: Element | Page, base_url: str | None = None, drop: Drop | None = None) -> str:
    """Render an element's content (or a whole page) as markdown, without the elements `drop` matches."""
    out: list[str] = []
    if isinstance(root, Page):
        for top in root.tops:
            if drop is None or not drop(top):
                _element(top, out, base_url, 1, drop)
    else:
        _walk(root, out, base_url, 0, drop)
    text = "".join(out)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip("\n")


def _collapse(text: str) -> str:
    """`re.sub(r"\\s+", " ", text)`; most strings need no regex (every whitespace but " " is unprintable)."""
    if text.isprintable():
        return text if "  " not in text else _SPACES.sub(" ", text)
    if not text.strip():
        return " "
    return _SPACES.sub(" ", text)


def _walk(node: Element, out: list[str], base: str | None, depth: int, drop: Drop | None) -> None:
    if node.text:
        out.append(_collapse(node.text))
    for child in node:
        if isinstance(child.tag, str) and (drop is None or not drop(child)):  # comments: only their tail counts
            if depth > _MAX_DEPTH:  # pathological nesting: keep the words, drop the structure
                out.append(get_text(child, " ", drop))
            else:
                _element(child, out, base, depth + 1, drop)
        if child.tail:
            out.append(_collapse(child.tail))


def _element(tag: Element, out: list[str], base: str | None, depth: int, drop: Drop | None) -> None:
    name = tag.tag
    if name in _SKIP or is_hidden(tag):
        return
    if name == "pre":
        code = get_text(tag, "", drop)
        lang = _code_lang(tag)
        out.append(f"\n\n```{lang}\n{code.rstrip()}\n```\n\n")
    elif name in _HEADINGS:
        text = _inline(tag, base, depth, drop)
        if text:
            out.append(f"\n\n{'#' * _HEADINGS[name]} {text}\n\n")
    elif name == "br":
        out.append("\n")
    elif name == "li":
        parent = tag.getparent()
        marker = "1. " if parent is not None and parent.tag == "ol" else "- "
        out.append(f"\n{marker}{_inline(tag, base, depth, drop)}\n")
    elif name == "blockquote":
        inner = to_markdown_fragment(tag, base, depth, drop)
        out.append("\n\n" + "\n".join(f"> {line}" if line else ">" for line in inner.split("\n")) + "\n\n")
    elif name in {"td", "th"}:
        out.append(f" | {_inline(tag, base, depth, drop)}")
    elif name == "a":
        out.append(_link(tag, base, depth, drop))
    elif name == "img":
        alt = (tag.get("alt") or "").strip()
        src = _absolute(tag.get("src") or "", base)
        out.append(f"![{alt}]({src})" if src else alt)
    elif name == "code":
        text = get_text(tag, "", drop)
        out.append(f"`{text}`" if "`" not in text and "\n" not in text else text)
    elif name in {"strong", "b"}:
        text = _inline(tag, base, depth, drop)
        out.append(f"**{text}**" if text else "")
    elif name in {"em", "i"}:
        text = _inline(tag, base, depth, drop)
        out.append(f"*{text}*" if text else "")
    elif name in BLOCK:
        out.append("\n\n" if name != "tr" else "\n")
        _walk(tag, out, base, depth, drop)
        out.append("\n\n" if name != "tr" else " |\n")
    else:
        _walk(tag, out, base, depth, drop)


def to_markdown_fragment(tag: Element, base: str | None, depth: int, drop: Drop | None = None) -> str:
    """Markdown of a nested block, trimmed."""
    parts: list[str] = []
    _walk(tag, parts, base, depth + 1, drop)
    return _BLANKS.sub("\n\n", "".join(parts)).strip()


def _inline(tag: Element, base: str | None, depth: int, drop: Drop | None) -> str:
    parts: list[str] = []
    _walk(tag, parts, base, depth + 1, drop)
    return _NEWLINES.sub(" ", "".join(parts)).strip()


def _link(tag: Element, base: str | None, depth: int, drop: Drop | None) -> str:
    text = _inline(tag, base, depth, drop)
    href = (tag.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return text
    href = _absolute(href, base)
    if not text:
        return ""
    return f"[{text}]({href})"


def _absolute(url: str, base: str | None) -> str:
    if not url or url.startswith("data:"):
        return ""
    if _SCHEME.match(url):
        return url
    return urljoin(base, url) if base else url


def _code_lang(pre: Element) -> str:
    parent = pre.getparent()
    for el in (pre, parent, parent.getparent() if parent is not None else None):
        if el is not None:
            lang = el.get("data-lang") or el.get("lang")
            if lang and _LANG.fullmatch(lang):
                return lang
    return ""


def meta(page: Page, *names: str, dropped: tuple[Element | Page, Drop] | None = None) -> str | None:
    """First non-empty `<meta property|name|itemprop=...>` content among `names`; `dropped` leaves out the meta
    elements a `to_markdown(root, drop=...)` call removed (a body's chrome is not the page's metadata).
    """
    tags = list(page.iter("meta"))
    if dropped is not None:
        tags = [t for t in tags if not _removed(t, *dropped)]
    for name in names:
        for attr in ("property", "name", "itemprop"):
            tag = next((t for t in tags if t.get(attr) == name), None)
            if tag is not None and (content := (tag.get("content") or "").strip()):
                return content
    return None


def _removed(el: Element, root: Element | Page, drop: Drop) -> bool:
    """True when `to_markdown(root, drop=drop)` removed `el`: it or an ancestor below `root` matches `drop` (the
    selectors reach no further down than a `<template>`).
    """
    chain: list[Element] = []
    node: Element | None = el
    while node is not None and node is not root:
        chain.append(node)
        node = node.getparent()
    if node is None and not isinstance(root, Page):
        return False  # not below root
    for node in reversed(chain):
        if drop(node):
            return True
        if node.tag == "template":
            return False
    return False


def canonical(page: Page) -> str | None:
    """The page's canonical URL (`link[rel=canonical]`, else og:url)."""
    link = next((el for el in page.iter("link") if "canonical" in (el.get("rel") or "").split()), None)
    if link is not None and (href := link.get("href")):
        return href.strip()
    return meta(page, "og:url")
