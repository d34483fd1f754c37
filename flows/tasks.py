"""Prefect tasks: one-line adapters over the core (fetch a source, plan/process/assemble curate)."""

from __future__ import annotations

import dataclasses
import json

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from notepipe.config import Config, SourceConfig
from notepipe.curate import Assembly, CurateReport, Plan, WorkItem, plan, process_all, prune_cache
from notepipe.resolution import resolve
from notepipe.sources import SourceReport, sync_source


# HTTP-level retries (429, 5xx, Retry-After, timeouts) live in the core client, so both engines behave the same.
# These task retries cover coarse failures only: a crash, a full disk, a killed worker.
@task(retries=2, retry_delay_seconds=exponential_backoff(backoff_factor=5), retry_jitter_factor=0.5,
      task_run_name="fetch {source.name}", tags=["fetch"])
def fetch_source(source: SourceConfig, config: Config, full: bool = False, restart: bool = False) -> SourceReport:
    """Fetch one source into raw/ (incremental unless `full`; a saved cursor is resumed unless `restart`)."""
    return sync_source(source, config, full=full, restart=restart)


# No task retries: the client already retries each request, and a run that could not reach an API reports it
# (and leaves the lookups to the next run) instead of raising.
@task(task_run_name="resolve papers", tags=["resolve"], cache_policy=NO_CACHE)
def resolve_papers(config: Config, refresh: bool = False) -> list[SourceReport]:
    """Look up the papers not resolved yet (arXiv API by ID, OpenAlex by title); answers land in raw/."""
    return resolve(config, refresh=refresh)


@task(task_run_name="plan curate")
def plan_curate(config: Config) -> Plan:
    """Which posts in raw/ need processing (new content or a new pipeline version)."""
    return plan(config.raw_dir, config.curated_dir, config.http.max_bytes)


def pack(items: list[WorkItem]) -> str:
    """A batch as one JSON string: Prefect walks list parameters item by item to track dependencies (seconds
    at 3,000 posts, measured), but not a string; and it crosses to Dask workers unchanged."""
    return json.dumps([dataclasses.asdict(item) for item in items], ensure_ascii=False)


# NO_CACHE: the posts' own cache (curated/.cache) is what skips work; Prefect's default key would hash every batch's
# parameters on the worker for nothing (about 50 ms a task, measured with 100 KB parameters on a 2-process cluster).
@task(retries=1, retry_delay_seconds=5, task_run_name="process {label}", cache_policy=NO_CACHE)
def process_batch(packed: str, config: Config, label: str = "batch") -> int:
    """Build the records of a batch of posts into the cache (pure per post; safe in parallel processes);
    returns how many records the batch made."""
    items = [WorkItem(**data) for data in json.loads(packed)]
    return process_all(items, config.raw_dir, config.curated_dir)


# NO_CACHE: the default cache key would hash the assembly's inputs, every record line of the dataset.
@task(task_run_name="assemble curated/", cache_policy=NO_CACHE)
def assemble_curated(assembly: Assembly) -> CurateReport:
    """Write shards, papers index, errors, manifest, schema and dataset card from an assembly the flow fed as
    batches completed (an entry not fed yet is read here, one a batch missed is built here); drop unused cache
    entries. Runs in the flow's process: the assembly holds the records read so far."""
    report = assembly.finish()
    prune_cache(assembly.plan, assembly.curated_dir)
    return report
