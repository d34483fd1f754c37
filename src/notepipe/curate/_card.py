"""The generated dataset card (`curated/README.md`): Hugging Face metadata, counts, files, fields, how to load it."""

from __future__ import annotations

from fnmatch import fnmatch
from importlib import resources
from string import Template
from typing import Any, Literal, get_args, get_origin

import yaml

from notepipe.curate._papers import PaperRow
from notepipe.curate._parquet import PAPERS_PARQUET, RECORDS_PREFIX, papers_schema, records_schema
from notepipe.curate._schema import hf_features
from notepipe.models import Paper, Record, Segment

SOURCE_NAMES = {"qiita": "Qiita", "hatena": "Hatena Blog", "github": "GitHub", "unknown": "unknown site"}
LANG_NAMES = {"ja": "Japanese", "ko": "Korean", "en": "English", "zh": "Chinese", "und": "undetermined"}

FIELDS = {
    "id": "stable id: `qiita:<item id>`, `hatena:<host>/<entry path>`, `github:<owner>/<repo>/<path>` "
          "or `file:<sha256[:16] of the input bytes>`",
    "source": "`qiita`, `hatena`, `github` or `unknown`",
    "url": "canonical URL of the post, or null",
    "source_path": "the raw snapshot or local input file the record was built from (relative to the repository)",
    "author": "user, blog or repository owner, or null",
    "title": "the post's own title (not a paper title), or null",
    "published_at": "ISO 8601 as the site states it, or null",
    "updated_at": "ISO 8601 as the site states it, or null",
    "fetched_at": "ISO 8601 time the raw snapshot was taken; null for local files",
    "tags": "site tags / categories",
    "lang": "ISO 639-1 code of the main language (`ja`, `ko`, `en`, …) or `und`",
    "segments": "lines of the body's prose, code blocks and display formulas, each `{$segment}`; `kind` is one "
                "of $kinds: `text`, `code` (a code block, verbatim) or `math` (a display formula's LaTeX source, "
                "verbatim: not NFKC-normalized, `lang` `und`, never tokenized)",
    "text": "the body without page chrome: NFKC, whitespace-normalized, markdown reduced to plain text",
    "tokens": "surface tokens of `text` in order (MeCab for ja and ko, rules otherwise); URLs and arXiv IDs stay "
              "whole",
    "papers": "each distinct paper mentioned, once: `{$paper}`; `title` and `arxiv_id` as the post wrote them; "
              "`role` is `reviewed` for the one paper a one-paper review post is about (at most one per post), else "
              "`cited`; the `canonical_` pair as resolution found the paper (arXiv API by ID, OpenAlex by title), "
              "null until it is found",
    "arxiv_ids": "every arXiv ID in the post, versionless, sorted, unique",
    "links": "outbound URLs",
    "content_hash": "sha256 of `text`",
    "pipeline_version": "the notepipe pipeline version that produced the record",
}

FILE_NOTES = {
    "errors.jsonl": "what could not be fetched or processed (and records superseded by a newer version), "
                    "with `source_path`/`url`, `stage`, `error`, `message`",
    "papers.jsonl": "one row per distinct paper across all posts, grouped by resolved identity first (fields below)",
    PAPERS_PARQUET: "`papers.jsonl` as Parquet",
    "schema.json": "JSON Schema of one record",
    "manifest.json": "counts, and bytes, lines (rows for Parquet) and sha256 of every other file",
    "README.md": "this card",
}


#: Rows of the most-reviewed papers table.
TOP_PAPERS = 10
PRETTY_NAME = "notepipe: Japanese and Korean ML paper-review posts"
# Hugging Face task categories the records serve: language modelling on the texts, and retrieving or embedding
# posts about a paper.
TASK_CATEGORIES = ("text-generation", "text-retrieval", "feature-extraction")
LICENSE_PLACEHOLDER = "unset-choose-before-publishing"


def _table(head: tuple[str, ...], rows: list[tuple[Any, ...]], align: tuple[str, ...] = ()) -> str:
    align = align or ("---", *("---:" for _ in head[1:]))
    cells = [head, align, *rows]
    return "\n".join("| " + " | ".join(str(c) for c in row) + " |" for row in cells)


def _size_category(n: int) -> str:
    """Hugging Face's `size_categories` bucket for `n` rows."""
    for bound, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                         (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if n < bound:
            return label
    return "n>10M"


def metadata(files: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The card's YAML metadata: what the Hugging Face Hub and `datasets.load_dataset(<folder>)` read. `files` maps
    each data file to its manifest entry (Parquet ones with `rows`).

    Two configurations, `records` (the default) and `papers`, over the Parquet files, with their features. Not the
    JSONL too: `datasets` reads every configuration of a folder with one builder, chosen by the files' format.
    Each states its rows (which `datasets` checks on load) and bytes: `datasets` caches a local folder under a hash
    of this metadata, not of the files, so a re-curate that changes either is read afresh.
    """
    configs = [("records", f"{RECORDS_PREFIX}*.parquet", records_schema()),
               ("papers", PAPERS_PARQUET, papers_schema())]
    info = []
    for name, pattern, schema in configs:
        entries = [entry for rel, entry in files.items() if fnmatch(rel, pattern)]
        info.append({"config_name": name, "features": hf_features(schema),
                     "splits": [{"name": "train", "num_examples": sum(e["rows"] for e in entries)}],
                     "download_size": sum(e["bytes"] for e in entries)})
    records = info[0]["splits"][0]["num_examples"]
    return {
        "pretty_name": PRETTY_NAME,
        "language": ["ja", "ko"],
        "license": "other",
        "license_name": LICENSE_PLACEHOLDER,
        "task_categories": list(TASK_CATEGORIES),
        "size_categories": [_size_category(records)],
        "configs": [{"config_name": name, "data_files": [{"split": "train", "path": path}],
                     **({"default": True} if name == "records" else {})} for name, path, _ in configs],
        "dataset_info": info,
    }


def _yaml(files: dict[str, dict[str, Any]]) -> str:
    text = yaml.safe_dump(metadata(files), allow_unicode=True, sort_keys=False, width=1000)
    # a comment the user sees where they set the licence (the Hub requires `license_name` with `license: other`)
    return text.replace("license: other\n", "# licence: a placeholder. Choose the licence you publish under (see\n"
                        "# \"Licence\" below), then set `license` (and drop `license_name` unless it is `other`).\n"
                        "license: other\n", 1)


def _kinds(annotation: Any) -> str:
    values = get_args(annotation) if get_origin(annotation) is Literal else ()
    return ", ".join(f"`{v}`" for v in values) or "a string"


def _fields() -> str:
    subs = {"segment": ", ".join(Segment.model_fields), "paper": ", ".join(Paper.model_fields),
            "kinds": _kinds(Segment.model_fields["kind"].annotation)}
    return "\n".join(f"- `{k}`: {Template(v).substitute(subs)}" for k, v in FIELDS.items())


def _paper_fields() -> str:
    return "\n".join(f"- `{name}`: {info.description or name.replace('_', ' ') + ', or null'}"
                     for name, info in PaperRow.model_fields.items())


def _top_papers(papers: list[dict[str, Any]]) -> str:
    """The papers most posts review, then most posts mention; the resolved title when there is one."""
    top = sorted(papers, key=lambda p: (-p["reviews"], -p["mentions"], p["key"]))[:TOP_PAPERS]
    if not top:
        return "No paper is mentioned yet."
    rows = []
    for i, p in enumerate(top, 1):
        title = (p["canonical"] or {}).get("title") or p["title"] or "(untitled)"
        arxiv_id = p["arxiv_id"] or (p["canonical"] or {}).get("arxiv_id")
        rows.append((i, title.replace("|", "\\|"), f"`{arxiv_id}`" if arxiv_id else "", p["reviews"], p["mentions"]))
    return _table(("#", "paper", "arXiv", "reviewed in", "posts"), rows, ("---:", "---", "---", "---:", "---:"))


def _months(months: dict[str, int]) -> str:
    if not months:
        return "No records yet."
    return _table(("month", "posts"), [(m if m != "unknown" else "(no date)", n) for m, n in sorted(months.items())])


def _files(files: dict[str, dict[str, Any]]) -> str:
    rows = []
    for rel, entry in files.items():
        note = FILE_NOTES.get(rel)
        if note is None and rel.startswith("records/"):
            source = rel.removeprefix("records/").removesuffix(".jsonl")
            note = f"records from {SOURCE_NAMES.get(source, source)}, sorted by `id`"
        elif note is None and rel.startswith(RECORDS_PREFIX):
            note = "every record, sorted by `id`, under one schema (shards of about 128 MB)"
        rows.append((f"`{rel}`", entry.get("lines", entry.get("rows")), note or ""))
    rows += [("`manifest.json`", "", FILE_NOTES["manifest.json"]), ("`README.md`", "", FILE_NOTES["README.md"])]
    return _table(("file", "lines / rows", "contents"), rows, ("---", "---:", "---"))


def render_card(*, name: str, version: str, counts: dict[str, Any], files: dict[str, dict[str, Any]],
                samples: str | None, papers: list[dict[str, Any]], months: dict[str, int]) -> str:
    """The card's markdown, from the `card.md` template. `files` maps each data file (relative path) to its
    manifest entry; `papers` are the papers index rows; `months` counts records by `YYYY-MM` of `published_at`
    (`unknown` without one). Deterministic.

    `samples` is the folder prefix of bundled sample inputs, when some records come from there.
    """
    missing = set(Record.model_fields) - set(FIELDS)
    if missing:  # a new record field must be documented here
        raise RuntimeError(f"dataset card lacks a description for {sorted(missing)}")
    by_source = counts["by_source"]
    by_lang = counts["by_lang"]
    tables = [
        _table(("total", "count"), [("records", counts["records"]), ("papers", counts["papers"]),
                                     ("errors", counts["errors"])]),
        _table(("source", "records"), [(f"{SOURCE_NAMES.get(k, k)} (`{k}`)", v) for k, v in by_source.items()]),
        _table(("language", "records"), [(f"{LANG_NAMES.get(k, k)} (`{k}`)", v) for k, v in by_lang.items()]),
    ]
    note = (f"\nRecords whose `source_path` is under `{samples}` come from sample posts written for this project to\n"
            "exercise the pipeline, not from fetched pages.\n") if samples else ""
    template = Template(resources.files("notepipe.curate").joinpath("card.md").read_text("utf-8"))
    return template.substitute(
        metadata=_yaml(files), name=name, version=version, counts="\n\n".join(tables),
        top_papers=_top_papers(papers), months=_months(months), files=_files(files), fields=_fields(),
        paper_fields=_paper_fields(), samples=note,
    )
