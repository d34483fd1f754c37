"""The record contract: Record, Segment and Paper as pydantic models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from notepipe._version import PIPELINE_VERSION

Source = Literal["qiita", "hatena", "github", "unknown"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Segment(_Frozen):
    """One paragraph or line of the body with its own language."""

    text: str
    lang: str = Field(description="ISO 639-1 code, or `und` for language-free text (code, URLs, numbers)")
    kind: Literal["text", "code", "math"] = Field(
        default="text",
        description="`code` for code blocks and `math` for display formulas (`$$ … $$`, `\\[ … \\]`, "
        "`{math}`): both kept verbatim (no NFKC), language-free and without tokens for math",
    )


class Paper(_Frozen):
    """A paper the post mentions; unknown parts are null or empty."""

    title: str | None = None
    arxiv_id: str | None = Field(default=None, description="versionless, e.g. `2007.10909` or `hep-th/9901001`")
    authors: list[str] = Field(default_factory=list)
    venue: str | None = None
    year: int | None = None
    role: Literal["reviewed", "cited"] = Field(
        default="cited",
        description="`reviewed`: the one paper a one-paper review post is about (at most one per post); else `cited`",
    )
    canonical_title: str | None = Field(
        default=None, description="the title of the paper resolution found (arXiv API or OpenAlex); null until then"
    )
    canonical_arxiv_id: str | None = Field(
        default=None, description="the arXiv ID resolution found; `arxiv_id` stays as the post wrote it"
    )


class Record(_Frozen):
    """One normalized post: the JSONL line notepipe writes."""

    id: str = Field(description="`qiita:<id>`, `hatena:<host>/<path>`, `github:<owner>/<repo>/<path>` or `file:<sha>`")
    source: Source
    url: str | None = None
    source_path: str | None = None
    author: str | None = None
    title: str | None = None
    published_at: str | None = None
    updated_at: str | None = None
    fetched_at: str | None = None
    tags: list[str] = Field(default_factory=list)
    lang: str
    segments: list[Segment] = Field(default_factory=list)
    text: str
    tokens: list[str] = Field(default_factory=list)
    papers: list[Paper] = Field(default_factory=list)
    arxiv_ids: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
    content_hash: str
    pipeline_version: str = PIPELINE_VERSION


Stage = Literal["fetch", "store", "verify", "read", "decode", "extract", "process", "upsert", "resolve"]


class ErrorRecord(_Frozen):
    """One input that could not be processed: a line of `errors.jsonl`."""

    source_path: str | None = None
    url: str | None = None
    stage: Stage
    error: str = Field(description="exception type, e.g. `UndecodableError`")
    message: str
    pipeline_version: str = PIPELINE_VERSION


class RawMeta(_Frozen):
    """The JSON sidecar of one raw snapshot: where and when it was fetched, and how to check it."""

    key: str = Field(description="id of the record this snapshot becomes, e.g. `qiita:<item id>`")
    source: Source
    author: str
    native_id: str
    url: str | None = Field(default=None, description="canonical URL of the post")
    fetched_url: str = Field(description="the URL actually requested (an API list page for Qiita items)")
    fetched_at: str = Field(description="UTC, ISO 8601 with microseconds")
    status: int
    etag: str | None = None
    last_modified: str | None = None
    version: str | None = Field(
        default=None, description="the site's own version mark: Qiita `updated_at`, Hatena feed `updated`, git blob SHA"
    )
    sha256: str = Field(description="sha256 of the snapshot bytes")
    size: int
    media_type: str | None = Field(default=None, description="Content-Type as served, charset included")
    path: str = Field(description="the snapshot file, relative to raw/")
