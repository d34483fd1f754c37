"""notepipe: Japanese and Korean ML paper-review posts as clean, tokenized, language-tagged JSONL."""

from notepipe._version import PIPELINE_VERSION, __version__
from notepipe.formats import EmptyInputError, Extracted, FormatError, Input, UndecodableError, decode, extract
from notepipe.language import document_language, segment_language
from notepipe.models import ErrorRecord, Paper, Record, Segment
from notepipe.papers import extract_papers, find_arxiv_ids
from notepipe.pipeline import build_record, normalize_bytes, normalize_file
from notepipe.text import clean
from notepipe.tokenize import tokenize

__all__ = [
    "PIPELINE_VERSION",
    "EmptyInputError",
    "ErrorRecord",
    "Extracted",
    "FormatError",
    "Input",
    "Paper",
    "Record",
    "Segment",
    "UndecodableError",
    "__version__",
    "build_record",
    "clean",
    "decode",
    "document_language",
    "extract",
    "extract_papers",
    "find_arxiv_ids",
    "normalize_bytes",
    "normalize_file",
    "segment_language",
    "tokenize",
]
