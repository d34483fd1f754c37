"""One extracted post → its Record: clean, segment, detect language, tokenize, find papers and links."""

from __future__ import annotations

import hashlib
import re

from notepipe.document import parse, release_parses
from notepipe.formats import Extracted
from notepipe.language import UND, languages
from notepipe.models import Record, Segment
from notepipe.papers import extract_papers
from notepipe.text import DUMP_FORMATS, clean_document, nfkc, repair_dump
from notepipe.tokenize import find_protected, rule_tokens, tokenize_spans

_SCHEME = re.compile(r"(?:https?|ftp)://", re.IGNORECASE)
# A segment made by pydantic's validator itself: `Segment(...)` wraps the same call in a Python frame and keyword
# packing, a third of its cost (once per block of every post).
_segment = Segment.__pydantic_validator__.validate_python


def _record_id(ex: Extracted, digest: str, index: int) -> str:
    if ex.source in {"qiita", "hatena"} and ex.native_id:
        return f"{ex.source}:{ex.native_id}"
    if ex.source == "github" and ex.native_id:
        return f"github:{ex.native_id}"
    return f"file:{digest[:16]}" + (f"#{index}" if index else "")


def build_record(ex: Extracted, *, digest: str, index: int = 0, source_path: str | None = None,
                 fetched_at: str | None = None) -> Record:
    """Turn one extracted post into a Record."""
    title = nfkc(ex.title).strip() if ex.title else None
    title = re.sub(r"\s+", " ", title) if title else None
    # One parse of the post (front matter included) feeds the papers, text, segments and tokens; a page's text
    # dump is repaired into markdown first.
    body = repair_dump(ex.body) if ex.format in DUMP_FORMATS else ex.body
    doc = parse((ex.front_matter or "") + body)
    papers = extract_papers(doc, title)
    text, blocks = clean_document(doc, title)
    del doc
    release_parses()
    prose = [b.text for b in blocks if b.kind == "text"]
    lang, prose_langs = languages(prose)
    seg_langs = iter(prose_langs)
    segments: list[Segment] = []
    tokens: list[str] = []
    # One string object per distinct token: a post repeats its vocabulary, and a list of shared strings costs a
    # pointer (8 bytes) per token where a string each costs about 60 (a 20 MB input: 3.6 M tokens, ~300 MB).
    # `map(shared.setdefault, found, found)` is `shared.setdefault(t, t)` for each token in order, without a Python
    # step per token.
    shared: dict[str, str] = {}
    links: dict[str, None] = {}
    for block in blocks:
        if block.kind == "code":
            segments.append(_segment({"text": block.text, "lang": UND, "kind": "code"}))
            found = rule_tokens(block.text)
            tokens += map(shared.setdefault, found, found)
        elif block.kind == "math":  # a formula: verbatim, no language, no tokens
            segments.append(_segment({"text": block.text, "lang": UND, "kind": "math"}))
        else:
            seg_lang = next(seg_langs)
            segments.append(_segment({"text": block.text, "lang": seg_lang}))
            spans = find_protected(block.text)  # read by the tokenizer and for the links
            found = tokenize_spans(block.text, seg_lang, spans)
            tokens += map(shared.setdefault, found, found)
            for start, end in spans:
                url = block.text[start:end]
                if _SCHEME.match(url):
                    links.setdefault(url, None)
    record = Record(
        id=_record_id(ex, digest, index),
        source=ex.source,
        url=ex.url,
        source_path=source_path,
        author=ex.author,
        title=title,
        published_at=ex.published_at,
        updated_at=ex.updated_at,
        fetched_at=fetched_at,
        tags=list(dict.fromkeys(nfkc(t).strip() for t in ex.tags if t.strip())),
        lang=lang,
        segments=segments,
        text=text,
        tokens=[],
        papers=papers,
        arxiv_ids=sorted({p.arxiv_id for p in papers if p.arxiv_id}),
        links=list(links),
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
    # The tokens go in unvalidated: each is a str by construction (a piece of the text), and validation would check
    # each one and copy the list (3.6 M tokens for a 20 MB post).
    return record.model_copy(update={"tokens": tokens})
