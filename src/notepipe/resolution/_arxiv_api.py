"""The arXiv API: query URLs for batches of IDs and the Atom feed it answers, read into canonical metadata."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from lxml import etree

from notepipe.errors import MalformedResponseError
from notepipe.resolution._canonical import Canonical, collapse

#: arXiv serves at most this many IDs per `id_list` request well (its manual's advice for result slices).
BATCH = 100
ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
_NS = {"a": ATOM, "arxiv": ARXIV, "os": OPENSEARCH}
# `http(s)://arxiv.org/abs/<id>v<n>`: new (2007.10909) and old-style (hep-th/9901001) IDs.
_ABS = re.compile(r"arxiv\.org/abs/(?P<id>[A-Za-z.-]+/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?$")
_ERRORS = "arxiv.org/api/errors"
# Entities and network access stay off: the feed is untrusted input.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=True)


def query_url(api: str, ids: list[str]) -> str:
    """`{api}?id_list=ID1,ID2,…&max_results=N` (commas kept literal, as the manual writes them)."""
    return f"{api}?{urlencode({'id_list': ','.join(ids), 'max_results': len(ids)}, safe=',/')}"


def _text(node: etree._Element, path: str) -> str | None:
    found = node.find(path, _NS)
    value = collapse(found.text or "") if found is not None else ""
    return value or None


def parse_feed(data: bytes) -> dict[str, Canonical]:
    """Versionless arXiv ID → canonical metadata for every paper entry of an API answer.

    An ID arXiv does not know has no entry (or, in the older API, an entry without a title): it is simply absent.
    Raises MalformedResponseError for anything but an Atom feed with its `opensearch:totalResults`, and for
    arXiv's error entry (an HTTP 200 feed whose one entry is titled `Error`, e.g. for a malformed ID).
    """
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise MalformedResponseError(f"not XML: {exc}") from None
    if root.tag != f"{{{ATOM}}}feed":
        raise MalformedResponseError(f"expected an Atom <feed>, got <{etree.QName(root).localname}>")
    if root.find("os:totalResults", _NS) is None:
        raise MalformedResponseError("the feed has no opensearch:totalResults (not an arXiv API answer?)")
    out: dict[str, Canonical] = {}
    for entry in root.iterfind("a:entry", _NS):
        entry_id = _text(entry, "a:id") or ""
        if _ERRORS in entry_id:
            raise MalformedResponseError(f"arXiv answered with an error: {_text(entry, 'a:summary') or entry_id}")
        match = _ABS.search(entry_id)
        title = _text(entry, "a:title")
        if match is None or title is None:
            continue
        published = _text(entry, "a:published") or ""
        primary = entry.find("arxiv:primary_category", _NS)
        out[match["id"]] = Canonical(
            title=title,
            authors=tuple(name for a in entry.iterfind("a:author", _NS) if (name := _text(a, "a:name"))),
            year=int(published[:4]) if published[:4].isdigit() else None,
            arxiv_id=match["id"],
            doi=(_text(entry, "arxiv:doi") or "").split(" ")[0] or None,
            openalex_id=None,
            source="arxiv",
            score=1.0,
            primary_category=primary.get("term") if primary is not None else None,
            journal_ref=_text(entry, "arxiv:journal_ref"),
        )
    return out
