"""One extracted post → its Record: clean, find papers, detect language (`draft_record`), then segment and tokenize
(`finish_record`)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from notepipe.document import parse, release_parses
from notepipe.formats import Extracted
from notepipe.language import UND, languages
from notepipe.models import Record, Segment
from notepipe.papers import extract_papers
from notepipe.text import DUMP_FORMATS, Block, clean_document, nfkc, repair_dump
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


@dataclass(slots=True)
class Draft:
    """One post read, cleaned, language-tagged and with its papers found: its record but for the segments, tokens and
    links, which `finish_record` adds. The two halves are apart so that a batch of posts can be drafted first and
    then tokenized in one run of analyzer calls, which then find MeCab's dictionary still in the CPU caches."""

    fields: dict[str, Any]  # the Record's other fields
    blocks: list[Block]  # the cleaned body's non-empty blocks
    prose_langs: list[str]  # the language of each `text` block, in order

    @property
    def text(self) -> str:
        """The record's `text`."""
        text: str = self.fields["text"]
        return text

    @property
    def title(self) -> str | None:
        """The record's `title`."""
        title: str | None = self.fields["title"]
        return title


def draft_record(ex: Extracted, *, digest: str, index: int = 0, source_path: str | None = None,
                 fetched_at: str | None = None) -> Draft:
    """Read one extracted post up to its tokens: title, papers, cleaned text and blocks, languages."""
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
    lang, prose_langs = languages([b.text for b in blocks if b.kind == "text"])
    fields: dict[str, Any] = {
        "id": _record_id(ex, digest, index), "source": ex.source, "url": ex.url, "source_path": source_path,
        "author": ex.author, "title": title, "published_at": ex.published_at, "updated_at": ex.updated_at,
        "fetched_at": fetched_at, "tags": list(dict.fromkeys(nfkc(t).strip() for t in ex.tags if t.strip())),
        "lang": lang, "text": text, "papers": papers, "arxiv_ids": sorted({p.arxiv_id for p in papers if p.arxiv_id}),
        "content_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }
    return Draft(fields, blocks, prose_langs)


def finish_record(draft: Draft) -> Record:
    """The Record of a drafted post: its segments, tokens and links added."""
    seg_langs = iter(draft.prose_langs)
    segments: list[Segment] = []
    tokens: list[str] = []
    # One string object per distinct token: a post repeats its vocabulary, and a list of shared strings costs a
    # pointer (8 bytes) per token where a string each costs about 60 (a 20 MB input: 3.6 M tokens, ~300 MB).
    # `map(shared.setdefault, found, found)` is `shared.setdefault(t, t)` for each token in order, without a Python
    # step per token.
    shared: dict[str, str] = {}
    links: dict[str, None] = {}
    for block in draft.blocks:
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
    record = Record(**draft.fields, segments=segments, tokens=[], links=list(links))
    # The tokens go in unvalidated: each is a str by construction (a piece of the text), and validation would check
    # each one and copy the list (3.6 M tokens for a 20 MB post).
    return record.model_copy(update={"tokens": tokens})


def build_record(ex: Extracted, *, digest: str, index: int = 0, source_path: str | None = None,
                 fetched_at: str | None = None) -> Record:
    """Turn one extracted post into a Record."""
    return finish_record(draft_record(ex, digest=digest, index=index, source_path=source_path, fetched_at=fetched_at))
