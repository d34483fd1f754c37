"""The `scrape` flow: every configured source, incrementally, then `curate`; the one the deployment schedules."""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.curate import curate as curate_flow
from flows.tasks import fetch_source, resolve_papers
from notepipe.config import Config, SourceConfig, load_config
from notepipe.raw_store import RawStore
from notepipe.reports import markdown_table, source_rows
from notepipe.sources import SourceReport, write_run_log


def fetch_all(config: Config, sources: list[SourceConfig], full: bool, restart: bool = False) -> list[SourceReport]:
    """Fetch sources concurrently (one task each; the per-host limiter keeps shared hosts polite), under the
    raw/ lock; publish the per-source table as artifacts."""
    logger = get_run_logger()
    store = RawStore(config.raw_dir)
    with store.lock():
        futures = [fetch_source.submit(source, config, full, restart) for source in sources]
        reports = [future.result() for future in futures]
        write_run_log(store, reports)
    for report in reports:
        log = logger.warning if report.status in {"failed", "unreachable", "paused"} else logger.info
        log("%s: %s (%d new, %d updated, %d unchanged, %d failed, %d requests) %s", report.source, report.status,
            report.new, report.updated, report.unchanged, report.failed, report.requests, report.message)
    create_table_artifact(key="fetch-sources", table=source_rows(reports), description="notepipe fetch, per source")
    create_markdown_artifact(key="fetch-summary", markdown=markdown_table(reports),
                             description="notepipe fetch: new / updated / unchanged / failed per source")
    return reports


def resolve_all(config: Config) -> list[SourceReport]:
    """The `resolve` task (before curate): publish its per-API rows as the same kind of table."""
    reports = resolve_papers(config)
    logger = get_run_logger()
    for report in reports:
        log = logger.warning if report.status in {"failed", "unreachable", "paused"} else logger.info
        log("%s: %s (%d found, %d not found, %d known, %d failed, %d requests) %s", report.source, report.status,
            report.new, report.skipped, report.unchanged, report.failed, report.requests, report.message)
    if reports:
        create_table_artifact(key="resolve-papers", table=source_rows(reports), description="notepipe resolve, per API")
        create_markdown_artifact(key="resolve-summary", markdown=markdown_table(reports),
                                 description="notepipe resolve: found / not found / known / failed per API")
    return reports


@flow(name="notepipe-scrape")
def scrape(config_path: str | None = None, full: bool = False, curate: bool = True) -> list[dict[str, object]]:
    """Fetch every configured source (incremental unless `full`), resolve papers, then rebuild curated/."""
    config = load_config(config_path)
    reports = fetch_all(config, config.sources, full, restart=full)  # --full starts from the top
    if curate:
        reports += resolve_all(config)
        curate_flow(config_path=config_path)
    return [r.to_dict() for r in reports]


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Run the notepipe scrape flow under Prefect.")
    parser.add_argument("--config", help="notepipe.toml (default: ./notepipe.toml)")
    parser.add_argument("--full", action="store_true", help="whole history, not only what is new")
    parser.add_argument("--no-curate", action="store_true")
    args = parser.parse_args()
    scrape(config_path=args.config, full=args.full, curate=not args.no_curate)
