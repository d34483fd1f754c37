"""OpenAlex: the title-search URL and its `meta` + `results` answer, read into candidate canonical records."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from notepipe.errors import MalformedResponseError
from notepipe.resolution._canonical import Canonical, collapse, normalized_title

PER_PAGE = 5
_ARXIV_DOI = "10.48550/arxiv."
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/(?P<id>[A-Za-z.-]+/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?$")


def search_text(title: str) -> str:
    """What goes after `title.search:`: the normalized title, since `,` separates filters, `|` ORs values and
    a leading `!` negates in OpenAlex's filter syntax."""
    return normalized_title(title)


def query_url(api: str, title: str, mailto: str = "") -> str:
    """`{api}/works?filter=title.search:<title>&per-page=5[&mailto=…]`."""
    url = f"{api}/works?filter=title.search:{quote(search_text(title), safe='')}&per-page={PER_PAGE}"
    return url + (f"&mailto={quote(mailto, safe='@')}" if mailto else "")


def _strip(value: Any, prefix: str) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    return value.removeprefix(prefix) or None


def _arxiv_id(work: dict[str, Any], doi: str | None) -> str | None:
    """From the work's `10.48550/arXiv.` DOI, else from a location on arxiv.org (landing page or PDF)."""
    if doi and doi.lower().startswith(_ARXIV_DOI):
        return doi[len(_ARXIV_DOI):] or None
    locations = [work.get("primary_location"), work.get("best_oa_location"), *(work.get("locations") or [])]
    for location in locations:
        if not isinstance(location, dict):
            continue
        for url in (location.get("landing_page_url"), location.get("pdf_url")):
            if isinstance(url, str) and (m := _ARXIV_URL.search(url)):
                return m["id"]
    return None


def _work(work: Any) -> Canonical | None:
    if not isinstance(work, dict):
        raise MalformedResponseError(f"a result is {type(work).__name__}, not an object")
    title = work.get("title") or work.get("display_name")
    if not isinstance(title, str) or not title.strip():
        return None
    doi = _strip(work.get("doi"), "https://doi.org/")
    year = work.get("publication_year")
    authors = []
    for authorship in work.get("authorships") or []:
        author = authorship.get("author") if isinstance(authorship, dict) else None
        name = author.get("display_name") if isinstance(author, dict) else None
        if isinstance(name, str) and name.strip():
            authors.append(collapse(name))
    return Canonical(
        title=collapse(title), authors=tuple(authors), year=year if isinstance(year, int) else None,
        arxiv_id=_arxiv_id(work, doi), doi=doi, openalex_id=_strip(work.get("id"), "https://openalex.org/"),
        source="openalex", score=0.0,
    )


def parse_works(data: bytes) -> list[Canonical]:
    """The candidates of a `/works` answer, in its order; raises MalformedResponseError unless the body is JSON
    with a `meta` object and a `results` list."""
    try:
        body = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedResponseError(f"not JSON: {exc}") from None
    if not isinstance(body, dict) or not isinstance(body.get("meta"), dict) or not isinstance(body.get("results"),
                                                                                                list):
        raise MalformedResponseError("expected an object with `meta` and a `results` list (an OpenAlex list)")
    return [c for work in body["results"] if (c := _work(work)) is not None]
