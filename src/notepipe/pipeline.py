"""One input → records: extract, clean, segment, detect language, tokenize, find papers."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from notepipe.formats import EmptyInputError, Extracted, Input, decode, extract
from notepipe.language import UND, document_language, segment_language
from notepipe.models import RawMeta, Record, Segment
from notepipe.papers import extract_papers
from notepipe.text import Block, clean, nfkc, nfkc_outside_code
from notepipe.tokenize import protected_spans, rule_tokens, tokenize


def _links(blocks: list[Block]) -> list[str]:
    seen: dict[str, None] = {}
    for block in blocks:
        if block.kind == "text":
            for start, end in protected_spans(block.text):
                url = block.text[start:end]
                if re.match(r"(?:https?|ftp)://", url, re.IGNORECASE):
                    seen.setdefault(url, None)
    return list(seen)


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
    text, blocks = clean(ex.body, title)
    prose = [b.text for b in blocks if b.kind == "text"]
    lang = document_language(prose)
    segments: list[Segment] = []
    tokens: list[str] = []
    for block in blocks:
        if block.kind == "code":
            segments.append(Segment(text=block.text, lang=UND, kind="code"))
            tokens.extend(rule_tokens(block.text))
        else:
            seg_lang = segment_language(block.text, lang)
            segments.append(Segment(text=block.text, lang=seg_lang))
            tokens.extend(tokenize(block.text, seg_lang))
    # Every arXiv ID the post mentions is in some paper (ID-only papers included): scan once.
    papers = extract_papers((ex.front_matter or "") + nfkc_outside_code(ex.body))
    return Record(
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
        tokens=tokens,
        papers=papers,
        arxiv_ids=sorted({p.arxiv_id for p in papers if p.arxiv_id}),
        links=_links(blocks),
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
_UNSET = (None, "", "unknown")


def charset_of(media_type: str | None) -> str | None:
    """The `charset` parameter of a Content-Type value, if any (`text/html; charset=EUC-JP` → `EUC-JP`)."""
    m = _CHARSET.search(media_type or "")
    return m.group(1) if m else None


def _apply_meta(record: Record, meta: RawMeta) -> Record:
    """A snapshot's one post: the sidecar names its id and site (it was fetched from there, whatever the file
    looks like); url and author come from the sidecar where the extractor found none."""
    fill = {name: getattr(meta, name) for name in ("url", "author")
            if getattr(record, name) in _UNSET and getattr(meta, name) not in _UNSET}
    return record.model_copy(update={"id": meta.key, "source": meta.source, **fill})


def normalize_bytes(data: bytes, source_path: str | None = None, fetched_at: str | None = None, *,
                    meta: RawMeta | None = None) -> list[Record]:
    """Records for one input's bytes (one per post; an API list page holds several).

    `meta`, a raw snapshot's sidecar, supplies hints: the served charset, `fetched_at`, the source path
    (`raw/<meta.path>` unless `source_path` is given) and, for a snapshot holding one post, the record id
    (`meta.key`) plus `source`, `url` and `author` where the content itself does not say.
    """
    if meta is not None:
        source_path = source_path or f"raw/{meta.path}"
        fetched_at = fetched_at or meta.fetched_at
    digest = hashlib.sha256(data).hexdigest()
    inp = Input(text=decode(data, declared=charset_of(meta.media_type) if meta else None), path=source_path)
    records = [
        build_record(ex, digest=digest, index=i, source_path=source_path, fetched_at=fetched_at)
        for i, ex in enumerate(extract(inp))
    ]
    if len(records) == 1 and not records[0].text.strip():
        title = f" (title: {records[0].title})" if records[0].title else ""
        raise EmptyInputError(f"no post content left once the page chrome is removed{title}")
    if meta is not None and len(records) == 1:
        records = [_apply_meta(records[0], meta)]
    return records


def normalize_file(path: str | Path) -> list[Record]:
    """Records for one file on disk."""
    path = Path(path)
    return normalize_bytes(path.read_bytes(), source_path=str(path))
