"""notepipe: Japanese and Korean ML paper-review posts as clean, tokenized, language-tagged JSONL."""

from notepipe._version import PIPELINE_VERSION, __version__
from notepipe.config import Config, load_config, parse_spec
from notepipe.curate import CurateReport, curate
from notepipe.errors import (
    ChromeOnlyError,
    ConfigError,
    CursorRefusedError,
    EmptyInputError,
    FetchError,
    FormatError,
    HostNotAllowedError,
    InputRefusedError,
    LockedError,
    MalformedResponseError,
    NotepipeError,
    PageBudgetSpentError,
    RateLimitedError,
    RobotsDisallowedError,
    TooLargeError,
    UndecodableError,
    UnreachableError,
)
from notepipe.formats import Extracted, Input, decode, extract
from notepipe.http import PoliteClient
from notepipe.language import document_language, segment_language
from notepipe.models import ErrorRecord, Paper, RawMeta, Record, Segment
from notepipe.normalize import normalize_bytes, normalize_file
from notepipe.papers import extract_papers, find_arxiv_ids
from notepipe.pipeline import build_record
from notepipe.raw_store import RawStore
from notepipe.resolution import resolve
from notepipe.sources import SourceReport, scrape, sync_source
from notepipe.text import clean
from notepipe.tokenize import tokenize

__all__ = [
    "PIPELINE_VERSION",
    "ChromeOnlyError",
    "Config",
    "ConfigError",
    "CurateReport",
    "CursorRefusedError",
    "EmptyInputError",
    "ErrorRecord",
    "Extracted",
    "FetchError",
    "FormatError",
    "HostNotAllowedError",
    "Input",
    "InputRefusedError",
    "LockedError",
    "MalformedResponseError",
    "NotepipeError",
    "PageBudgetSpentError",
    "Paper",
    "PoliteClient",
    "RateLimitedError",
    "RawMeta",
    "RawStore",
    "Record",
    "RobotsDisallowedError",
    "Segment",
    "SourceReport",
    "TooLargeError",
    "UndecodableError",
    "UnreachableError",
    "__version__",
    "build_record",
    "clean",
    "curate",
    "decode",
    "document_language",
    "extract",
    "extract_papers",
    "find_arxiv_ids",
    "load_config",
    "normalize_bytes",
    "normalize_file",
    "parse_spec",
    "resolve",
    "scrape",
    "segment_language",
    "sync_source",
    "tokenize",
]
