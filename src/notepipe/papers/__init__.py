"""Paper mentions in a post: candidates → judge → merge, over the post's one parsed `Document`."""

from __future__ import annotations

import dataclasses
import re

from notepipe.document import Document, parse
from notepipe.models import Paper
from notepipe.papers._arxiv import find_arxiv_ids, normalize_arxiv_id
from notepipe.papers.candidates import LINE_STRIDE, Candidate, find_candidates
from notepipe.papers.judge import Verdict, judge
from notepipe.papers.merge import Mention, Meta, link
from notepipe.papers.references import Reference, parse_reference

__all__ = [
    "Candidate", "Reference", "Verdict", "explain_papers", "extract_papers", "find_arxiv_ids", "normalize_arxiv_id",
    "parse_reference",
]

_NUMBER = re.compile(r"(?<![\d.])\d{4}\.\d{4,5}(?![\d])")
_TOP_LINES = 40  # the post's own paper link sits in its first lines (after the title block)


def explain_papers(doc: Document | str, title: str | None = None) -> tuple[list[Paper], list[Verdict]]:
    """The papers of a post and every verdict behind them (accepted and rejected candidates, with reasons).

    `title` is the post's own title where the site gives it apart from the body (a Qiita item's, a page's); by
    default the document's (front matter, Pandoc title block, first heading).
    """
    if isinstance(doc, str):
        doc = parse(doc)
    candidates = find_candidates(doc, title)
    primary = _primary_id(doc, candidates, title)
    if primary is not None:
        for c in candidates:
            if c.evidence == "reviewed":
                c.notes["linked"] = primary
    verdicts = judge(candidates, doc)
    verdicts = _field_as_reviewed(verdicts)
    mentions: list[Mention] = []
    for v in verdicts:
        if not v.accepted:
            continue
        c = v.candidate
        ref = c.ref
        meta = Meta(list(ref.authors), ref.venue, ref.year) if ref is not None else Meta()
        mentions.append(Mention(c.pos, v.title, c.arxiv_id, meta, rule=v.reason, role=v.role))
    return link(mentions, primary), verdicts


def _field_as_reviewed(verdicts: list[Verdict]) -> list[Verdict]:
    """With no reviewed paper from the post's title, a post's one `Title:` field names the paper it reviews."""
    if any(v.accepted and v.role == "reviewed" for v in verdicts):
        return verdicts
    fields = [i for i, v in enumerate(verdicts) if v.accepted and v.candidate.evidence == "title-field"]
    if len(fields) != 1:
        return verdicts
    i = fields[0]
    verdicts[i] = dataclasses.replace(verdicts[i], role="reviewed")
    return verdicts


def extract_papers(doc: Document | str, title: str | None = None) -> list[Paper]:
    """Each distinct paper a post mentions, once, in order of first mention (ID-only papers included).

    Titles are never read from code, but reference strings and BibTeX entries in code blocks are, and arXiv IDs
    are read everywhere.
    """
    return explain_papers(doc, title)[0]


def _primary_id(doc: Document, candidates: list[Candidate], title: str | None) -> str | None:
    """The post's own paper link: an ID in its title or title block, else the first ID in its first lines."""
    for number in _NUMBER.findall(title or doc.title or ""):
        if (found := normalize_arxiv_id(number)) is not None:
            return found
    front = [c.arxiv_id for c in candidates if c.evidence == "id" and c.pos < 0]
    if front:
        return front[0]
    body_start = next((b.line for b in doc.blocks), 0)
    for c in candidates:
        top = 0 <= c.pos < (body_start + _TOP_LINES) * LINE_STRIDE
        if c.evidence == "id" and c.arxiv_id and c.notes.get("plain") and top:
            return c.arxiv_id
    return None
