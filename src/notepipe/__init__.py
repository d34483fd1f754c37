"""notepipe: Japanese and Korean ML paper-review posts as clean, tokenized, language-tagged JSONL."""

from notepipe._version import PIPELINE_VERSION, __version__
from notepipe.config import Config, ConfigError, load_config, parse_spec
from notepipe.curate import CurateReport, curate
from notepipe.formats import EmptyInputError, Extracted, FormatError, Input, UndecodableError, decode, extract
from notepipe.http import FetchError, PoliteClient
from notepipe.language import document_language, segment_language
from notepipe.models import ErrorRecord, Paper, RawMeta, Record, Segment
from notepipe.papers import extract_papers, find_arxiv_ids
from notepipe.pipeline import build_record, normalize_bytes, normalize_file
from notepipe.raw_store import LockedError, RawStore
from notepipe.resolution import resolve
from notepipe.sources import SourceReport, scrape, sync_source
from notepipe.text import clean
from notepipe.tokenize import tokenize

__all__ = [
    "PIPELINE_VERSION",
    "Config",
    "ConfigError",
    "CurateReport",
    "EmptyInputError",
    "ErrorRecord",
    "Extracted",
    "FetchError",
    "FormatError",
    "Input",
    "LockedError",
    "Paper",
    "PoliteClient",
    "RawMeta",
    "RawStore",
    "Record",
    "Segment",
    "SourceReport",
    "UndecodableError",
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
