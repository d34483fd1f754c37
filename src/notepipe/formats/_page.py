"""Pages parsed once by libxml2 (lxml) and read with BeautifulSoup's string rules, so extraction stays as it was."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from lxml import etree

from notepipe.formats._events import parse_events

# BeautifulSoup gave strings inside these tags their own type, which `get_text()` leaves out elsewhere.
CONTAINERS = frozenset({"script", "style", "template", "rt", "rp"})
_SPACES = re.compile(r"\s+")
# Block containers (their edges end a paragraph in a body, separate words in `text_of`), and the other elements
# whose edges separate words there: headings, list items, cells and line breaks.
BLOCK = frozenset(
    {"p", "div", "section", "article", "main", "header", "footer", "aside", "figure", "figcaption", "dl", "dt",
     "dd", "details", "summary", "center", "address", "body", "html", "tr", "caption", "ul", "ol", "table",
     "tbody", "thead", "tfoot", "hr"}
)
_SPACED = BLOCK | {"h1", "h2", "h3", "h4", "h5", "h6", "br", "li", "td", "th", "pre", "blockquote"}
# Whitespace-only strings outside these became one space or one newline when BeautifulSoup built its tree.
PRESERVE = frozenset({"pre", "textarea"})
_ASCII_SPACES = " \n\t\x0c\r"
_STOP = (etree.ErrorLevels.FATAL, etree.ErrorTypes.ERR_RESOURCE_LIMIT)
_BY_ID = etree.XPath("id($value)")
_DOCTYPE = re.compile(r"<![dD][oO][cC][tT][yY][pP][eE]")
# What may stand before a page's doctype: whitespace, comments, `<?xml …?>` (a conservative subset of HTML5's rules).
_LEAD = re.compile(r"(?:[ \t\n\f\r]+|<!--(?!-?>)(?:(?!--!?>).)*?--!?>|<\?[^>]*>)*", re.DOTALL)


class Element(Protocol):
    """What the extractors read from an element: an lxml element, or a `_Node` of an over-limit page."""

    tag: Any  # a name, or lxml's Comment factory for comments
    text: str | None
    tail: str | None

    def get(self, key: str, default: None = None) -> str | None: ...
    def getparent(self) -> Element | None: ...
    def iter(self, *tags: Any) -> Iterator[Element]: ...
    def iterdescendants(self, *tags: Any) -> Iterator[Element]: ...
    def iterancestors(self, *tags: Any) -> Iterator[Element]: ...
    def itertext(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Element]: ...


class Page:
    """A parsed page: its top-level elements (one `<html>`, more when markup follows `</html>`).

    `first`/`iter` find elements as BeautifulSoup's `find`/`find_all` did; `select`, `by_id`, `with_class` and
    `with_attr` as its CSS selectors did, which never reach into the contents of a `<template>` below their scope.
    """

    __slots__ = ("_templates", "built", "tops")

    def __init__(self, tops: Sequence[Element], built: bool = False) -> None:
        self.tops = tops
        self.built = built  # a tree of `_Node`s (libxml2 has no ID table for it)
        self._templates: bool | None = None

    def iter(self, *tags: Any) -> Iterator[Element]:
        """Elements in document order (all of them with `etree.Element`), like `soup.find_all(tag)`."""
        if len(self.tops) == 1:
            return self.tops[0].iter(*tags)
        return (el for top in self.tops for el in top.iter(*tags))

    def first(self, tag: str) -> Element | None:
        """The first element with this tag name, like `soup.find(tag)`."""
        return next(self.iter(tag), None)

    def select(self, tag: Any, scope: Element | Page | None = None) -> Iterator[Element]:
        """Elements with this tag name below `scope` (default: on the page) that a CSS selector reaches."""
        els = self.iter(tag) if scope is None or isinstance(scope, Page) else scope.iterdescendants(tag)
        if not self.has_templates():
            return els
        return (el for el in els if self.reachable(el, scope))

    def has_templates(self) -> bool:
        """True when the page has a `<template>` anywhere."""
        if self._templates is None:
            self._templates = next(self.iter("template"), None) is not None
        return self._templates

    def reachable(self, el: Element, scope: Element | Page | None = None) -> bool:
        """True unless a `<template>` stands between `el` and `scope` (default: the page)."""
        if not self.has_templates():
            return True
        node = el.getparent()
        while node is not None and node is not scope:
            if node.tag == "template":
                return False
            node = node.getparent()
        return True

    def by_id(self, value: str) -> Element | None:
        """The first element whose id is exactly `value` (`#value`)."""
        if not self.built and self.tops:
            # libxml2's ID table holds the first element with each id, or with that `name` if it is an <a>.
            hits = _BY_ID(self.tops[0], value=value)
            if not hits:
                return None
            first: Element = hits[0]  # (lxml is untyped: its XPath answers elements)
            if first.get("id") == value and self.reachable(first):
                return first
        return next((el for el in self.iter(etree.Element) if el.get("id") == value and self.reachable(el)), None)

    def with_class(self, token: str, scope: Element | Page | None = None, tag: Any = etree.Element
                   ) -> Iterator[Element]:
        """Elements below `scope` with `token` among their classes (`tag.token`), in document order."""
        for el in self.select(tag, scope):
            if (value := el.get("class")) and token in value and token in value.split():
                yield el

    def with_attr(self, name: str, value: str) -> Element | None:
        """The first element on the page whose attribute `name` is exactly `value` (`[name=value]`)."""
        return next((el for el in self.select(etree.Element) if el.get(name) == value), None)


def parse(html: str) -> Page:
    """Parse a page once with libxml2's HTML parser, fed the whole string as BeautifulSoup(html, "lxml") fed it."""
    if html[:1] == "\ufeff":  # BeautifulSoup dropped one byte order mark
        html = html[1:]
    parser = etree.HTMLParser()
    parser.feed(html)
    root = parser.close()
    if any(e.level == _STOP[0] or e.type == _STOP[1] for e in parser.feed_error_log) or _inner_doctype(html):
        # Past libxml2's tree limits (nesting over 256, a 10 MB text node), or a doctype inside the page, which
        # split the text around it into two strings for BeautifulSoup but leaves one text node in an lxml tree.
        return Page(parse_events(html), built=True)
    if root is None:  # nothing but comments, a doctype or whitespace
        return Page([])
    tops = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
    return Page([el for el in tops if isinstance(el.tag, str)])


def _inner_doctype(html: str) -> bool:
    lead = -1
    for m in _DOCTYPE.finditer(html):
        if lead < 0:
            lead = _LEAD.match(html).end()  # type: ignore[union-attr]  # the pattern matches the empty string
        if m.start() != lead:
            return True
    return False


def classes(el: Element) -> list[str]:
    """The element's class names, split as BeautifulSoup split them."""
    value = el.get("class")
    return value.split() if value else []


def get_text(el: Element, sep: str = "", skip: Callable[[Element], bool] | None = None) -> str:
    """BeautifulSoup's `Tag.get_text(sep)`: the element's strings of its own kind, without comments and without the
    subtrees `skip(element)` is true for (outside `<template>`s); whitespace-only strings outside `<pre>` and
    `<textarea>` are one space or one newline.
    """
    tag = el.tag
    want = tag if tag in CONTAINERS else None  # where the element sits decides the kind of its own strings
    kind = want or next((a.tag for a in el.iterancestors(*CONTAINERS)), None)
    keep = tag in PRESERVE or next(el.iterancestors(*PRESERVE), None) is not None
    if len(el) == 0:
        return _as_parsed(el.text, keep) if el.text and kind == want else ""
    if (skip is None or tag == "template") and next(el.iterdescendants(*CONTAINERS, *PRESERVE), None) is None:
        if kind != want:  # every string below is of the same kind
            return ""
        texts = el.itertext()  # comments left out, their tails kept
        return sep.join(texts if keep else (_as_parsed(t, keep) for t in texts))
    out: list[str] = []
    if el.text and kind == want:
        out.append(_as_parsed(el.text, keep))
    if tag == "template":
        skip = None
    stack: list[tuple[Element, Iterator[Element], Any, bool, Any]] = [(el, iter(el), kind, keep, skip)]
    while stack:  # iterative: pages nest thousands of levels deep
        node, children, kind, keep, skip = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack and node.tail and stack[-1][2] == want:
                out.append(_as_parsed(node.tail, stack[-1][3]))
            continue
        tag = child.tag
        if isinstance(tag, str) and (skip is None or not skip(child)):
            child_kind = tag if tag in CONTAINERS else kind
            child_keep = keep or tag in PRESERVE
            if child.text and child_kind == want:
                out.append(_as_parsed(child.text, child_keep))
            stack.append((child, iter(child), child_kind, child_keep, None if tag == "template" else skip))
        elif child.tail and kind == want:  # a comment or a removed element: its tail text stays
            out.append(_as_parsed(child.tail, keep))
    return sep.join(out)


def _as_parsed(text: str, keep: bool) -> str:
    if keep or text.strip(_ASCII_SPACES):
        return text
    return "\n" if "\n" in text else " "


def text_of(node: Element | None) -> str | None:
    """Whitespace-normalized text of an element (a title, a tag link), or None. Inline markup joins its words as
    written, `注意<b>機構</b>の` is 注意機構の, while block boundaries and `<br>` are spaces; scripts, styles, ruby
    readings and comments are left out."""
    if node is None:
        return None
    parts = [node.text or ""]
    stack: list[tuple[Iterator[Element], str]] = [(iter(node), "")]  # children, and what closes the element
    while stack:  # iterative: pages nest deep
        children, closing = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            parts.append(closing)
            continue
        tag = child.tag
        if isinstance(tag, str) and tag not in CONTAINERS:
            spaced = " " if tag in _SPACED else ""
            parts += (spaced, child.text or "")
            stack.append((iter(child), spaced + (child.tail or "")))
        else:  # a comment, script, style or ruby reading: only its tail is text
            parts.append(child.tail or "")
    text = _SPACES.sub(" ", "".join(parts)).strip()
    return text or None
