"""`notepipe.toml` → validated settings; `qiita:USER`-style source specs and `--set key=value` overrides."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from notepipe._url import host_of, origin_of
from notepipe._version import __version__
from notepipe.errors import ConfigError

DEFAULT_CONFIG = "notepipe.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _base(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) URL with a host")
    parts.port  # noqa: B018  raises ValueError for a port that is not a number in 0-65535
    return url.rstrip("/")


BaseUrl = Annotated[str, AfterValidator(_base)]


class HttpConfig(_Strict):
    """How politely we fetch."""

    contact: str = Field(default="", description="an e-mail or URL for site operators; goes into the User-Agent")
    requests_per_second: float = Field(default=1.0, gt=0, le=50, description="per host")
    timeout_s: float = Field(default=30, gt=0, description="longest wait for a connect or any single read")
    deadline_s: float = Field(
        default=120, gt=0,
        description="longest one request may take end to end (connect, headers, body); past it, a retried timeout",
    )
    max_pages_per_run: int = Field(
        default=500, ge=1,
        description="listing pages (API pages, feed pages) one source reads per run; then it pauses, resumable",
    )
    max_bytes: int = Field(default=20_000_000, gt=0, description="largest response body accepted")
    retries: int = Field(default=4, ge=0, le=10, description="retries on connect errors, timeouts, 429 and 5xx")
    backoff_s: float = Field(default=1.0, ge=0, description="first retry delay; doubles each time, with jitter")
    max_wait_s: float = Field(
        default=120, ge=0,
        description="longest pause for Retry-After or a rate-limit reset; beyond it the source stops, resumable",
    )
    robots_ttl_s: float = Field(default=86_400, ge=0, description="how long a fetched robots.txt is trusted")

    def user_agent(self) -> str:
        """`notepipe/<version> (+contact)`."""
        contact = f" (+{self.contact})" if self.contact else ""
        return f"notepipe/{__version__}{contact}"


class QiitaSource(_Strict):
    """A Qiita user's public items, through API v2."""

    kind: Literal["qiita"]
    user: str = Field(min_length=1)
    api_base: BaseUrl = "https://qiita.com/api/v2"
    per_page: int = Field(default=100, ge=1, le=100)

    @property
    def name(self) -> str:
        """`qiita:USER`, the spec and state name of this source."""
        return f"qiita:{self.user}"

    def hosts(self) -> set[str]:
        """Hosts this source may contact."""
        return {host_of(self.api_base)}

    def origins(self) -> set[str]:
        """The only `scheme://host:port` this source fetches from."""
        return {origin_of(self.api_base)}

    def token_scopes(self, token: str | None) -> dict[str, str | None]:
        """Where the API token may go: URLs under `api_base` only."""
        return {self.api_base: token}


class HatenaSource(_Strict):
    """A Hatena Blog by host, through its Atom feed and entry pages."""

    kind: Literal["hatena"]
    blog: str = Field(min_length=1, description="e.g. someone.hatenablog.com or a custom domain")
    base_url: BaseUrl | None = None

    @property
    def root(self) -> str:
        """The blog's base URL (`https://<blog>` unless configured)."""
        return self.base_url or f"https://{self.blog}"

    @property
    def name(self) -> str:
        """`hatena:HOST`."""
        return f"hatena:{self.blog}"

    def hosts(self) -> set[str]:
        """Hosts this source may contact."""
        return {host_of(self.root)}

    def origins(self) -> set[str]:
        """The only `scheme://host:port` this source fetches from."""
        return {origin_of(self.root)}

    def token_scopes(self, token: str | None) -> dict[str, str | None]:
        """Hatena is fetched anonymously: no token goes anywhere."""
        return {}


class GithubSource(_Strict):
    """Markdown files in a GitHub repository (optionally one folder), through the trees API and raw files."""

    kind: Literal["github"]
    repo: str = Field(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", description="owner/name")
    path: str = ""
    branch: str | None = None
    api_base: BaseUrl = "https://api.github.com"
    raw_base: BaseUrl = "https://raw.githubusercontent.com"

    @field_validator("path")
    @classmethod
    def _clean_path(cls, v: str) -> str:
        parts = [p for p in v.strip("/").split("/") if p]
        if any(p in {".", ".."} for p in parts):
            raise ValueError(f"path {v!r} may not contain . or .. components")
        return "/".join(parts)

    @property
    def owner(self) -> str:
        """The repository owner (the author of its posts)."""
        return self.repo.split("/", 1)[0]

    @property
    def name(self) -> str:
        """`github:OWNER/REPO[/PATH]`."""
        return f"github:{self.repo}" + (f"/{self.path}" if self.path else "")

    def hosts(self) -> set[str]:
        """Hosts this source may contact."""
        return {host_of(self.api_base), host_of(self.raw_base)}

    def origins(self) -> set[str]:
        """The only `scheme://host:port`s this source fetches from (the API and the raw files)."""
        return {origin_of(self.api_base), origin_of(self.raw_base)}

    def token_scopes(self, token: str | None) -> dict[str, str | None]:
        """Where the API token may go: URLs under `api_base` only, never the public raw files."""
        return {self.api_base: token}


class PapersConfig(_Strict):
    """Resolving papers to canonical metadata: the arXiv API for IDs, OpenAlex for titles."""

    resolve: bool = Field(default=True, strict=True, description="false: never touch the network for papers")
    arxiv_api: BaseUrl = "https://export.arxiv.org/api/query"
    openalex_api: BaseUrl = "https://api.openalex.org"
    mailto: str = Field(default="", description="e-mail for OpenAlex's polite pool; empty: [http].contact")
    arxiv_interval_s: float = Field(
        default=3.0, ge=0, le=600,
        description="least seconds between two arXiv API requests (arXiv asks for 3); tests lower it",
    )

    @field_validator("mailto")
    @classmethod
    def _check_mailto(cls, v: str) -> str:
        v = v.strip()
        if v and ("@" not in v or any(c.isspace() for c in v)):
            raise ValueError(f"mailto {v!r} is not an e-mail address (OpenAlex's polite pool wants one)")
        return v

    def hosts(self) -> set[str]:
        """Hosts resolution may contact (none when `resolve` is off)."""
        return {host_of(self.arxiv_api), host_of(self.openalex_api)} if self.resolve else set()

    def origins(self) -> set[str]:
        """The only `scheme://host:port`s resolution fetches from: the two APIs (none when `resolve` is off)."""
        return {origin_of(self.arxiv_api), origin_of(self.openalex_api)} if self.resolve else set()


SourceConfig = Annotated[QiitaSource | HatenaSource | GithubSource, Field(discriminator="kind")]
_SOURCE_ADAPTER: TypeAdapter[SourceConfig] = TypeAdapter(SourceConfig)


class Config(_Strict):
    """The whole of `notepipe.toml`. Relative folders are resolved against the config file's folder."""

    raw_dir: Path = Path("raw")
    curated_dir: Path = Path("curated")
    http: HttpConfig = HttpConfig()
    sources: list[SourceConfig] = Field(default_factory=list)
    papers: PapersConfig = PapersConfig()

    def allowlist(self) -> set[str]:
        """Every host a configured base URL names: the only hosts notepipe will contact."""
        return set().union(self.papers.hosts(), *(s.hosts() for s in self.sources))

    def mailto(self) -> str:
        """The e-mail for OpenAlex's polite pool: `[papers].mailto`, else `[http].contact` if it is one."""
        if self.papers.mailto:
            return self.papers.mailto
        contact = self.http.contact.strip()
        return contact if "@" in contact and not contact.startswith(("http://", "https://")) else ""

    def find(self, spec: str) -> SourceConfig | None:
        """The configured source a spec names, if any."""
        return next((s for s in self.sources if s.name == spec), None)


def _where(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(x) for x in e['loc']) or 'config'}: {e['msg']}" for e in exc.errors())


def load_config(path: str | Path | None = None) -> Config:
    """Read a config file (default: ./notepipe.toml if present, else the defaults with no sources)."""
    if path is None:
        path = Path(DEFAULT_CONFIG)
        if not path.exists():
            return Config()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file (pass --config FILE, or create {DEFAULT_CONFIG})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_where(exc)}") from None
    base = path.parent
    return config.model_copy(update={
        "raw_dir": config.raw_dir if config.raw_dir.is_absolute() else base / config.raw_dir,
        "curated_dir": config.curated_dir if config.curated_dir.is_absolute() else base / config.curated_dir,
    })


_SPEC_KEYS = {"qiita": "user", "hatena": "blog", "github": "repo"}


def parse_spec(spec: str, overrides: list[str] | None = None, config: Config | None = None) -> SourceConfig:
    """`qiita:USER`, `hatena:HOST` or `github:OWNER/REPO[/PATH]` → a source, merged with the config's matching
    source (if any) and `key=value` overrides."""
    kind, sep, ident = spec.partition(":")
    if not sep or kind not in _SPEC_KEYS or not ident.strip():
        raise ConfigError(
            f"{spec!r} is not a source spec; use qiita:USER, hatena:BLOG_HOST or github:OWNER/REPO[/PATH]"
        )
    data: dict[str, Any] = {"kind": kind}
    if kind == "github":
        parts = ident.strip("/").split("/")
        if len(parts) < 2:
            raise ConfigError(f"{spec!r}: a GitHub spec needs OWNER/REPO, e.g. github:octo/notes/papers")
        data["repo"] = "/".join(parts[:2])
        data["path"] = "/".join(parts[2:])
    else:
        data[_SPEC_KEYS[kind]] = ident.strip()
    known = config.find(spec) if config else None
    if known is None and config is not None:
        known = next((s for s in config.sources if s.kind == kind and
                      getattr(s, _SPEC_KEYS[kind]) == data[_SPEC_KEYS[kind]]), None)
    if known is not None:
        data = {**known.model_dump(exclude_none=True), **data}
    for item in overrides or []:
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise ConfigError(f"--set {item!r}: use key=value, e.g. --set api_base=http://127.0.0.1:8080/api/v2")
        data[key.strip()] = value.strip()
    try:
        return _SOURCE_ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise ConfigError(f"{spec}: {_where(exc)}") from None


def token_for(kind: str) -> str | None:
    """The API token for a source kind from the environment (`QIITA_TOKEN`, `GITHUB_TOKEN`), if set."""
    name = {"qiita": "QIITA_TOKEN", "github": "GITHUB_TOKEN"}.get(kind)
    value = os.environ.get(name, "").strip() if name else ""
    return value or None
