"""`notepipe curate`: rebuild curated/ from raw/ offline, incrementally and byte-identically."""

from notepipe.curate._assemble import Assembly, assemble
from notepipe.curate._cache import pipeline_version
from notepipe.curate._papers import PaperRow, normalized_title, paper_index
from notepipe.curate._plan import Plan, WorkItem, plan
from notepipe.curate._process import WorkResult, process, process_all
from notepipe.curate._run import curate, prune_cache
from notepipe.reports import CurateReport

__all__ = [
    "Assembly",
    "CurateReport",
    "PaperRow",
    "Plan",
    "WorkItem",
    "WorkResult",
    "assemble",
    "curate",
    "normalized_title",
    "paper_index",
    "pipeline_version",
    "plan",
    "process",
    "process_all",
    "prune_cache",
]
