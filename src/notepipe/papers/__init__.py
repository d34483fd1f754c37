"""Paper mentions in a post body: arXiv IDs and paper titles, paired and deduplicated."""

from __future__ import annotations

from notepipe.models import Paper
from notepipe.papers._arxiv import find_arxiv_ids, normalize_arxiv_id
from notepipe.papers._doc import build_doc
from notepipe.papers._link import LINE_STRIDE, Mention, link
from notepipe.papers._rules_block import block_rules
from notepipe.papers._rules_line import line_rules

__all__ = ["extract_papers", "find_arxiv_ids", "normalize_arxiv_id"]


def extract_papers(body: str) -> list[Paper]:
    """Each distinct paper `body` mentions, once, in order of first mention (ID-only papers included).

    Titles are never read from fenced code; arXiv IDs are, since code blocks carry BibTeX citations.
    """
    doc = build_doc(body)
    mentions = line_rules(doc) + block_rules(doc)
    mentions += [
        Mention(line * LINE_STRIDE + 1, None, m.arxiv_id, rule="id")
        for m, line in zip(doc.ids, doc.id_lines, strict=True)
    ]
    return link(mentions)
