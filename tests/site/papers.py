"""The arXiv API and OpenAlex `/works` as documented: Atom with opensearch:/arxiv: elements, and meta + results."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Any

from .wire import JSON_TYPE, Response, json_response

ATOM_TYPE = "application/atom+xml; charset=UTF-8"
_OS = 'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"'
_AX = 'xmlns:arxiv="http://arxiv.org/schemas/atom"'
_ID = re.compile(r"^(?:[a-z-]+(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?$")


@dataclass(frozen=True)
class ArxivPaper:
    """One paper the fake arXiv knows. `title` is served as given: put `\\n  ` in it to wrap it like arXiv does."""

    arxiv_id: str
    title: str
    authors: tuple[str, ...] = ("A. Author",)
    published: str = "2017-06-12T17:57:34Z"  # v1's submission: the first-version year
    updated: str = "2018-01-01T00:00:00Z"
    version: int = 2
    primary: str = "cs.LG"
    doi: str | None = None
    journal_ref: str | None = None


@dataclass
class ArxivApi:
    """`GET /arxiv/api/query?id_list=…&max_results=N`: known IDs as entries in the order asked, unknown ones absent
    (totalResults counts what was found), a malformed ID as arXiv's HTTP 200 error feed."""

    papers: dict[str, ArxivPaper] = field(default_factory=dict)
    asked: list[list[str]] = field(default_factory=list)

    def add(self, paper: ArxivPaper) -> None:
        """Know one more paper."""
        self.papers[paper.arxiv_id] = paper

    def handle(self, query: dict[str, str], base: str) -> Response:
        """Answer one query."""
        ids = [i for i in query.get("id_list", "").split(",") if i]
        self.asked.append(ids)
        max_results = int(query.get("max_results", "10"))
        head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
                f'  <link href="{escape(base)}?search_query%3D%26id_list%3D{escape(",".join(ids))}%26start%3D0%26'
                f'max_results%3D{max_results}" rel="self" type="application/atom+xml"/>\n'
                f'  <title type="html">ArXiv Query: search_query=&amp;id_list={escape(",".join(ids))}&amp;start=0'
                f'&amp;max_results={max_results}</title>\n'
                f'  <id>http://arxiv.org/api/{abs(hash(tuple(ids))) % 10**12:012d}</id>\n'
                f'  <updated>2026-12-05T00:00:00-05:00</updated>\n')
        bad = next((i for i in ids if not _ID.match(i)), None)
        if bad is not None:
            entries = [(f'  <entry>\n    <id>http://arxiv.org/api/errors#incorrect_id_format_for_{escape(bad)}</id>\n'
                        f'    <title>Error</title>\n    <summary>incorrect id format for {escape(bad)}</summary>\n'
                        f'    <updated>2026-12-05T00:00:00-05:00</updated>\n'
                        f'    <link href="http://arxiv.org/api/errors#incorrect_id_format_for_{escape(bad)}" '
                        f'rel="alternate" type="text/html"/>\n'
                        f'    <author>\n      <name>arXiv api core</name>\n    </author>\n  </entry>\n')]
        else:
            entries = [self._entry(self.papers[i]) for i in ids if i in self.papers][:max_results]
        body = (head + f'  <opensearch:totalResults {_OS}>{len(entries)}</opensearch:totalResults>\n'
                f'  <opensearch:startIndex {_OS}>0</opensearch:startIndex>\n'
                f'  <opensearch:itemsPerPage {_OS}>{max_results}</opensearch:itemsPerPage>\n'
                + "".join(entries) + "</feed>\n")
        return Response(200, body.encode(), [("Content-Type", ATOM_TYPE)])

    @staticmethod
    def _entry(p: ArxivPaper) -> str:
        abs_url = f"http://arxiv.org/abs/{p.arxiv_id}v{p.version}"
        parts = [f"  <entry>\n    <id>{abs_url}</id>\n    <updated>{p.updated}</updated>\n",
                 f"    <published>{p.published}</published>\n    <title>{escape(p.title)}</title>\n",
                 "    <summary>  We study a problem and\nreport results.\n</summary>\n",
                 *(f"    <author>\n      <name>{escape(a)}</name>\n    </author>\n" for a in p.authors)]
        if p.doi:
            parts.append(f"    <arxiv:doi {_AX}>{escape(p.doi)}</arxiv:doi>\n"
                         f'    <link title="doi" href="http://dx.doi.org/{escape(p.doi)}" rel="related"/>\n')
        parts.append(f"    <arxiv:comment {_AX}>12 pages, 3 figures</arxiv:comment>\n")
        if p.journal_ref:
            parts.append(f"    <arxiv:journal_ref {_AX}>{escape(p.journal_ref)}</arxiv:journal_ref>\n")
        parts += [f'    <link href="{abs_url}" rel="alternate" type="text/html"/>\n',
                  f'    <link title="pdf" href="http://arxiv.org/pdf/{p.arxiv_id}v{p.version}" rel="related" '
                  'type="application/pdf"/>\n',
                  f'    <arxiv:primary_category {_AX} term="{p.primary}" scheme="http://arxiv.org/schemas/atom"/>\n',
                  f'    <category term="{p.primary}" scheme="http://arxiv.org/schemas/atom"/>\n  </entry>\n']
        return "".join(parts)


def _words(text: str) -> list[str]:
    return re.sub(r"[\W_]+", " ", text.casefold()).split()


def openalex_work(wid: str, title: str, year: int | None, *, doi: str | None = None, arxiv_id: str | None = None,
                  authors: tuple[str, ...] = ("A. Author",), venue: str = "Some Journal") -> dict[str, Any]:
    """One work in OpenAlex's shape (the fields resolution reads, and their usual neighbours)."""
    arxiv_loc = {"is_oa": True, "landing_page_url": f"https://arxiv.org/abs/{arxiv_id}",
                 "pdf_url": f"https://arxiv.org/pdf/{arxiv_id}", "license": None, "version": "submittedVersion",
                 "source": {"id": "https://openalex.org/S4306400194", "display_name": "arXiv (Cornell University)",
                            "type": "repository", "issn_l": None}} if arxiv_id else None
    venue_loc = {"is_oa": False, "landing_page_url": f"https://doi.org/{doi}" if doi else None, "pdf_url": None,
                 "license": None, "version": "publishedVersion",
                 "source": {"id": "https://openalex.org/S1", "display_name": venue, "type": "journal",
                            "issn_l": "1234-5678"}}
    locations = [loc for loc in (venue_loc if doi else None, arxiv_loc) if loc is not None]
    return {
        "id": f"https://openalex.org/{wid}",
        "doi": f"https://doi.org/{doi}" if doi else None,
        "title": title,
        "display_name": title,
        "publication_year": year,
        "publication_date": f"{year}-06-12" if year else None,
        "ids": {"openalex": f"https://openalex.org/{wid}", **({"doi": f"https://doi.org/{doi}"} if doi else {})},
        "language": "en",
        "primary_location": locations[0] if locations else None,
        "best_oa_location": arxiv_loc,
        "locations": locations,
        "locations_count": len(locations),
        "type": "article",
        "authorships": [{"author_position": "first" if i == 0 else "middle",
                         "author": {"id": f"https://openalex.org/A{i + 1}{wid[1:]}", "display_name": name,
                                    "orcid": None},
                         "institutions": [], "countries": [], "is_corresponding": False, "raw_author_name": name}
                        for i, name in enumerate(authors)],
        "cited_by_count": 10,
        "relevance_score": 100.0,
    }


@dataclass
class OpenAlexApi:
    """`GET /openalex/works?filter=title.search:<text>&per-page=N&mailto=…`: the works whose title holds every word
    of the text, as `meta` + `results` (+ `group_by`); other filters or paths answer 400/404 as OpenAlex does."""

    works: list[dict[str, Any]] = field(default_factory=list)
    mailtos: list[str | None] = field(default_factory=list)

    def add(self, work: dict[str, Any]) -> None:
        """Know one more work."""
        self.works.append(work)

    def handle(self, path: str, query: dict[str, str]) -> Response:
        """Answer one request."""
        if path != "/works":
            return json_response(404, {"error": "Not found", "message": f"no route {path}"})
        name, _, text = query.get("filter", "").partition(":")
        if name != "title.search" or not text:
            return json_response(403, {"error": "Invalid query parameters error.",
                                       "message": f"{name} is not a valid field"})
        self.mailtos.append(query.get("mailto"))
        wanted = _words(text)
        hits = [w for w in self.works if set(wanted) <= set(_words(w["title"]))]
        per_page = int(query.get("per-page", "25"))
        body = {"meta": {"count": len(hits), "db_response_time_ms": 12, "page": 1, "per_page": per_page,
                         "groups_count": None},
                "results": hits[:per_page], "group_by": []}
        resp = json_response(200, body)
        assert resp.header("Content-Type") == JSON_TYPE
        return resp
