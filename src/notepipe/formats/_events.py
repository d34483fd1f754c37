"""Pages past libxml2's tree limits (nesting over 256, a text over 10 MB): a tree built from the parser's events."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree


class _Node:
    """An element of a page past libxml2's tree limits, built from the parser's events (no depth limit)."""

    __slots__ = ("attrib", "children", "parent", "tag", "tail", "text")

    def __init__(self, tag: Any, attrib: dict[str, str], parent: _Node | None) -> None:
        self.tag = tag
        self.attrib = attrib
        self.parent = parent
        self.children: list[_Node] = []
        self.text: str | None = None
        self.tail: str | None = None

    def get(self, key: str, default: None = None) -> str | None:
        return self.attrib.get(key, default)

    def getparent(self) -> _Node | None:
        return self.parent

    def __iter__(self) -> Iterator[_Node]:
        return iter(self.children)

    def __len__(self) -> int:
        return len(self.children)

    def iterancestors(self, *tags: Any) -> Iterator[_Node]:
        node = self.parent
        while node is not None:
            if not tags or node.tag in tags:
                yield node
            node = node.parent

    def itertext(self) -> Iterator[str]:
        """Texts and tails below the node in document order (comments' tails, not their text), like lxml's."""
        if self.text:
            yield self.text
        stack = [(self, iter(self.children))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if stack and node.tail:
                    yield node.tail
            elif isinstance(child.tag, str):
                if child.text:
                    yield child.text
                stack.append((child, iter(child.children)))
            elif child.tail:
                yield child.tail

    def iter(self, *tags: Any) -> Iterator[_Node]:
        stack = [self]
        while stack:
            node = stack.pop()
            if not tags or node.tag in tags or (etree.Element in tags and isinstance(node.tag, str)):
                yield node
            stack.extend(reversed(node.children))

    def iterdescendants(self, *tags: Any) -> Iterator[_Node]:
        nodes = self.iter(*tags)
        first = next(nodes, None)
        if first is not None and first is not self:
            yield first
        yield from nodes


class _Builder:
    """lxml parser target: the events BeautifulSoup's lxml tree builder received, as a tree of `_Node`s."""

    def __init__(self) -> None:
        self.document = _Node(None, {}, None)
        self.stack = [self.document]
        self.pending: list[str] = []

    def _flush(self) -> None:
        if self.pending:
            text, self.pending = "".join(self.pending), []
            parent = self.stack[-1]
            if parent is self.document:  # whitespace around <html> (an lxml tree has no place for it either)
                return
            if parent.children:
                parent.children[-1].tail = text
            else:
                parent.text = text

    def _add(self, node: _Node) -> None:
        self._flush()
        parent = self.stack[-1]
        node.parent = parent if parent is not self.document else None
        parent.children.append(node)

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        node = _Node(tag, dict(attrib), None)
        self._add(node)
        self.stack.append(node)

    def end(self, tag: str) -> None:
        self._flush()
        for i in range(len(self.stack) - 1, 0, -1):  # up to the innermost open element of that name
            if self.stack[i].tag == tag:
                del self.stack[i:]
                break

    def data(self, text: str) -> None:
        self.pending.append(text)

    def comment(self, text: str) -> None:
        self._add(_Node(etree.Comment, {}, None))

    def pi(self, target: str, data: str | None = None) -> None:
        self._add(_Node(etree.Comment, {}, None))

    def doctype(self, *_: object) -> None:
        self._add(_Node(etree.Comment, {}, None))

    def close(self) -> list[_Node]:
        self._flush()
        return [node for node in self.document.children if isinstance(node.tag, str)]


def parse_events(html: str) -> list[_Node]:
    """The top-level elements of a page, built from the events of libxml2's HTML parser (as BeautifulSoup did)."""
    parser = etree.HTMLParser(target=_Builder())
    parser.feed(html)
    tops: list[_Node] = parser.close()
    return tops
