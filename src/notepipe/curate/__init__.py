"""`notepipe curate`: rebuild curated/ from raw/ offline, incrementally and byte-identically."""

import importlib
from typing import Any

from notepipe.curate._assemble import Assembly, assemble
from notepipe.curate._cache import cache_folder, pipeline_version, read_entry, write_entry
from notepipe.curate._papers import PaperRow, normalized_title, paper_index
from notepipe.curate._plan import Plan, WorkItem, plan
from notepipe.curate._process import WorkResult, process, process_all
from notepipe.curate._run import curate, prune_cache
from notepipe.reports import CurateReport

# The Parquet side imports pyarrow, a large import, only when first used: `notepipe normalize`, and a curate run
# whose outputs are unchanged, never need it.
_PARQUET = {"TIMESTAMP": "_schema", "arrow_schema": "_schema", "hf_features": "_schema",
            "papers_schema": "_parquet", "records_parquet": "_parquet", "records_schema": "_parquet"}


def __getattr__(name: str) -> Any:
    """The Parquet names of `__all__`, imported on first use."""
    if name in _PARQUET:
        return getattr(importlib.import_module(f"notepipe.curate.{_PARQUET[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "TIMESTAMP",
    "Assembly",
    "CurateReport",
    "PaperRow",
    "Plan",
    "WorkItem",
    "WorkResult",
    "arrow_schema",
    "assemble",
    "cache_folder",
    "curate",
    "hf_features",
    "normalized_title",
    "paper_index",
    "papers_schema",
    "pipeline_version",
    "plan",
    "process",
    "process_all",
    "prune_cache",
    "read_entry",
    "records_parquet",
    "records_schema",
    "write_entry",
]
