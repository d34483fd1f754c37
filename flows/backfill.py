"""The `backfill` flow: one source's whole history (`qiita:USER`, `hatena:HOST`, `github:OWNER/REPO[/PATH]`)."""

from __future__ import annotations

from prefect import flow

from flows.curate import curate as curate_flow
from flows.scrape import fetch_all, resolve_all
from notepipe.config import load_config, parse_spec


@flow(name="notepipe-backfill", flow_run_name="backfill {spec}")
def backfill(spec: str, overrides: list[str] | None = None, config_path: str | None = None,
             curate: bool = True) -> dict[str, object]:
    """Fetch every post of one source into raw/, resolve papers, then rebuild curated/."""
    config = load_config(config_path)
    source = parse_spec(spec, overrides, config)
    config = config.model_copy(update={"sources": [*config.sources, source]})
    (report,) = fetch_all(config, [source], full=True)
    if curate:
        resolved = resolve_all(config)
        curate_flow(config_path=config_path)
        return {**report.to_dict(), "resolve": [r.to_dict() for r in resolved]}
    return report.to_dict()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Run the notepipe backfill flow under Prefect.")
    parser.add_argument("spec", help="qiita:USER | hatena:BLOG_HOST | github:OWNER/REPO[/PATH]")
    parser.add_argument("--config")
    parser.add_argument("--set", action="append", default=[], dest="overrides", metavar="KEY=VALUE")
    args = parser.parse_args()
    backfill(args.spec, args.overrides, args.config)
