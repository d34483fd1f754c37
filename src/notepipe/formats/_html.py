"""HTML → markdown for article bodies: parse once with lxml, keep code verbatim, never run or keep scripts."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

# Never the author's prose: executable, invisible, interactive or form content (Qiita hides the raw
# markdown in a textarea inside the article body).
_SKIP = frozenset(
    {"script", "style", "noscript", "template", "textarea", "form", "button", "svg", "iframe", "select",
     "input", "head", "meta", "link", "nav", "object", "embed", "canvas", "dialog"}
)
_BLOCK = frozenset(
    {"p", "div", "section", "article", "main", "header", "footer", "aside", "figure", "figcaption", "dl",
     "dt", "dd", "details", "summary", "center", "address", "body", "html", "tr", "caption", "ul", "ol",
     "table", "tbody", "thead", "tfoot", "hr"}
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_MAX_DEPTH = 400
_BLANKS = re.compile(r"\n{3,}")


def parse(html: str) -> BeautifulSoup:
    """Parse a page once, with lxml."""
    return BeautifulSoup(html, "lxml")


def is_hidden(tag: Tag) -> bool:
    """True for elements a reader never sees (hidden attribute, `hidden` class, display:none)."""
    classes = tag.get("class") or []
    style = str(tag.get("style") or "").replace(" ", "").lower()
    return (
        tag.has_attr("hidden")
        or "hidden" in classes
        or "display:none" in style
        or tag.get("aria-hidden") == "true"
    )


def to_markdown(root: Tag, base_url: str | None = None, drop: tuple[str, ...] = ()) -> str:
    """Render an element's content as markdown; `drop` lists CSS selectors to remove first."""
    if drop:  # one pass for all selectors (none is positional, so removing some never changes the rest)
        for el in root.select(", ".join(drop)):
            if not el.decomposed:  # not inside one removed already
                el.decompose()
    out: list[str] = []
    _walk(root, out, base_url, depth=0)
    text = "".join(out)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip("\n")


def _walk(node: Tag, out: list[str], base: str | None, depth: int) -> None:
    for child in node.children:
        if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            out.append(re.sub(r"\s+", " ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        if depth > _MAX_DEPTH:  # pathological nesting: keep the words, drop the structure
            out.append(child.get_text(" "))
            continue
        _element(child, out, base, depth + 1)


def _element(tag: Tag, out: list[str], base: str | None, depth: int) -> None:
    name = tag.name
    if name in _SKIP or is_hidden(tag):
        return
    if name == "pre":
        code = tag.get_text()
        lang = _code_lang(tag)
        out.append(f"\n\n```{lang}\n{code.rstrip()}\n```\n\n")
    elif name in _HEADINGS:
        text = _inline(tag, base, depth)
        if text:
            out.append(f"\n\n{'#' * _HEADINGS[name]} {text}\n\n")
    elif name == "br":
        out.append("\n")
    elif name == "li":
        marker = "1. " if tag.parent is not None and tag.parent.name == "ol" else "- "
        out.append(f"\n{marker}{_inline(tag, base, depth)}\n")
    elif name == "blockquote":
        inner = to_markdown_fragment(tag, base, depth)
        out.append("\n\n" + "\n".join(f"> {line}" if line else ">" for line in inner.split("\n")) + "\n\n")
    elif name in {"td", "th"}:
        out.append(f" | {_inline(tag, base, depth)}")
    elif name == "a":
        out.append(_link(tag, base, depth))
    elif name == "img":
        alt = str(tag.get("alt") or "").strip()
        src = _absolute(str(tag.get("src") or ""), base)
        out.append(f"![{alt}]({src})" if src else alt)
    elif name == "code":
        text = tag.get_text()
        out.append(f"`{text}`" if "`" not in text and "\n" not in text else text)
    elif name in {"strong", "b"}:
        text = _inline(tag, base, depth)
        out.append(f"**{text}**" if text else "")
    elif name in {"em", "i"}:
        text = _inline(tag, base, depth)
        out.append(f"*{text}*" if text else "")
    elif name in _BLOCK:
        out.append("\n\n" if name != "tr" else "\n")
        _walk(tag, out, base, depth)
        out.append("\n\n" if name != "tr" else " |\n")
    else:
        _walk(tag, out, base, depth)


def to_markdown_fragment(tag: Tag, base: str | None, depth: int) -> str:
    """Markdown of a nested block, trimmed."""
    parts: list[str] = []
    _walk(tag, parts, base, depth)
    return _BLANKS.sub("\n\n", "".join(parts)).strip()


def _inline(tag: Tag, base: str | None, depth: int) -> str:
    parts: list[str] = []
    _walk(tag, parts, base, depth)
    return re.sub(r"\s*\n\s*", " ", "".join(parts)).strip()


def _link(tag: Tag, base: str | None, depth: int) -> str:
    text = _inline(tag, base, depth)
    href = str(tag.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return text
    href = _absolute(href, base)
    if not text:
        return ""
    return f"[{text}]({href})"


def _absolute(url: str, base: str | None) -> str:
    if not url or url.startswith("data:"):
        return ""
    if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE):
        return url
    return urljoin(base, url) if base else url


def _code_lang(pre: Tag) -> str:
    for el in (pre, pre.parent, pre.parent.parent if pre.parent else None):
        if isinstance(el, Tag):
            lang = el.get("data-lang") or el.get("lang")
            if isinstance(lang, str) and re.fullmatch(r"[\w+#.-]{1,20}", lang):
                return lang
    return ""


def meta(soup: BeautifulSoup, *names: str) -> str | None:
    """First non-empty `<meta property|name|itemprop=...>` content among `names`."""
    tags = soup.find_all("meta")  # one walk of the page, not one per name and attribute
    for name in names:
        for attr in ("property", "name", "itemprop"):
            tag = next((t for t in tags if t.get(attr) == name), None)
            if isinstance(tag, Tag) and str(tag.get("content") or "").strip():
                return str(tag["content"]).strip()
    return None


def canonical(soup: BeautifulSoup) -> str | None:
    """The page's canonical URL (`link[rel=canonical]`, else og:url)."""
    link = soup.find("link", rel="canonical")
    if isinstance(link, Tag) and link.get("href"):
        return str(link["href"]).strip()
    return meta(soup, "og:url")


def text_of(node: Tag | None) -> str | None:
    """Whitespace-normalized text of an element, or None."""
    if node is None:
        return None
    text = re.sub(r"\s+", " ", node.get_text(" ")).strip()
    return text or None
