"""One input → records: extract, clean, segment, detect language, tokenize, find papers."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

from notepipe.document import parse
from notepipe.formats import EmptyInputError, Extracted, Input, decode, extract
from notepipe.formats._dates import to_iso
from notepipe.formats._decode import charset_of
from notepipe.language import UND, languages
from notepipe.models import RawMeta, Record, Segment
from notepipe.papers import Verdict, explain_papers, extract_papers
from notepipe.text import DUMP_FORMATS, clean_document, nfkc, repair_dump
from notepipe.tokenize import find_protected, rule_tokens, tokenize_spans

_SCHEME = re.compile(r"(?:https?|ftp)://", re.IGNORECASE)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TEXT_FIELDS = ("body", "title", "author", "published_at", "updated_at", "url", "native_id", "front_matter")


def _no_surrogates(ex: Extracted) -> Extracted:
    """Lone UTF-16 surrogates (a JSON `\\ud83d` escape cut from its pair) become U+FFFD, as stray bytes do:
    they are not characters and no UTF-8 output can hold them."""
    fields = {name: getattr(ex, name) for name in _TEXT_FIELDS}
    fixed = {name: _SURROGATE.sub("\ufffd", value) for name, value in fields.items()
             if isinstance(value, str) and _SURROGATE.search(value)}
    if any(_SURROGATE.search(tag) for tag in ex.tags):
        fixed["tags"] = tuple(_SURROGATE.sub("\ufffd", tag) for tag in ex.tags)
    return dataclasses.replace(ex, **fixed) if fixed else ex



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
    prose = [b.text for b in blocks if b.kind == "text"]
    lang, prose_langs = languages(prose)
    seg_langs = iter(prose_langs)
    segments: list[Segment] = []
    tokens: list[str] = []
    # One string object per distinct token: a post repeats its vocabulary, and a list of shared strings costs a
    # pointer (8 bytes) per token where a string each costs about 60 (a 20 MB input: 3.6 M tokens, ~300 MB).
    shared: dict[str, str] = {}
    links: dict[str, None] = {}
    for block in blocks:
        if block.kind == "code":
            segments.append(Segment(text=block.text, lang=UND, kind="code"))
            tokens += [shared.setdefault(t, t) for t in rule_tokens(block.text)]
        elif block.kind == "math":  # a formula: verbatim, no language, no tokens
            segments.append(Segment(text=block.text, lang=UND, kind="math"))
        else:
            seg_lang = next(seg_langs)
            segments.append(Segment(text=block.text, lang=seg_lang))
            spans = find_protected(block.text)  # read by the tokenizer and for the links
            tokens += [shared.setdefault(t, t) for t in tokenize_spans(block.text, seg_lang, spans)]
            for start, end in spans:
                url = block.text[start:end]
                if _SCHEME.match(url):
                    links.setdefault(url, None)
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
        links=list(links),
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


_UNSET = (None, "", "unknown")


def _apply_meta(record: Record, meta: RawMeta) -> Record:
    """A snapshot's one post: the sidecar names its id and site (it was fetched from there, whatever the file
    looks like); url and author come from the sidecar where the extractor found none, and so does a Hatena
    entry's `updated_at` (its version is the feed's `<updated>`; the entry page does not show it)."""
    fill = {name: getattr(meta, name) for name in ("url", "author")
            if getattr(record, name) in _UNSET and getattr(meta, name) not in _UNSET}
    if meta.source == "hatena" and record.updated_at in _UNSET and (updated := to_iso(meta.version)):
        fill["updated_at"] = updated
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
    # Peak memory for one long input: the bytes, the decoded text and each post's extraction are let go as soon
    # as the next step has what it needs (held to the end, they were a third of the peak).
    del data
    posts = extract(inp)
    del inp
    posts.reverse()
    records: list[Record] = []
    while posts:
        records.append(build_record(_no_surrogates(posts.pop()), digest=digest, index=len(records),
                                    source_path=source_path, fetched_at=fetched_at))
    if len(records) == 1 and not records[0].text.strip():
        title = f" (title: {records[0].title})" if records[0].title else ""
        raise EmptyInputError(f"no post content left once the page chrome is removed{title}")
    if meta is not None and len(records) == 1:
        records = [_apply_meta(records[0], meta)]
    return records


def explain_bytes(data: bytes, source_path: str | None = None) -> list[list[Verdict]]:
    """Every paper candidate of each post in one input, with the judge's verdict: accepted (how) or rejected (why)."""
    inp = Input(text=decode(data), path=source_path)
    out = []
    for ex in extract(inp):
        body = _no_surrogates(ex).body
        body = repair_dump(body) if ex.format in DUMP_FORMATS else body
        out.append(explain_papers(parse((ex.front_matter or "") + body), ex.title)[1])
    return out


def normalize_file(path: str | Path) -> list[Record]:
    """Records for one file on disk."""
    path = Path(path)
    return normalize_bytes(path.read_bytes(), source_path=str(path))
