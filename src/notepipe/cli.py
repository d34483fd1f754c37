"""The `notepipe` command line."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING

from notepipe._atomic import atomic_open
from notepipe._version import __version__
from notepipe.config import Config, SourceConfig, load_config, parse_spec
from notepipe.errors import ConfigError, LockedError
from notepipe.jsonl import atomic_writer, dumps, dumps_parts
from notepipe.models import ErrorRecord, Record
from notepipe.normalize import MAX_INPUT_BYTES, SUFFIXES, expand_inputs, normalize_paths
from notepipe.papers.candidates import LINE_STRIDE
from notepipe.reports import NormalizeReport

if TYPE_CHECKING:
    from notepipe.sources import SourceReport

_EPILOG = """\
examples:
  notepipe run                                  # fetch every source in notepipe.toml, then curate
  notepipe backfill qiita:someone               # one author's whole history, then curate
  notepipe backfill github:octo/notes/papers --set branch=main
  notepipe resolve                              # look papers up (arXiv API, OpenAlex), then curate
  notepipe curate                               # rebuild curated/ from raw/ (no network)
  notepipe normalize ../shared/eval/seeds -o curated/seeds.jsonl
  notepipe schema > schema.json

Tokens for the APIs come from the environment only: QIITA_TOKEN, GITHUB_TOKEN.
The same jobs run as Prefect flows: see flows/README.md.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="notepipe",
        description="Turn Japanese and Korean ML paper-review posts (Qiita, Hatena Blog, GitHub) into clean, "
        "tokenized, language-tagged JSONL records.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"notepipe {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    norm = sub.add_parser(
        "normalize",
        help="saved posts on disk → JSONL records",
        description="Read saved posts (Qiita API JSON, article HTML, Hatena entries and blogsync files, GitHub "
        "markdown and blob pages, text dumps of any of them) and write one record per post. The format is "
        f"detected from the content. Directories are searched recursively for {', '.join(sorted(SUFFIXES))}; "
        "a symlink there that leads outside the directory is refused. "
        "Inputs that fail are reported on stderr and written to an errors file; the rest go on.",
    )
    norm.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    norm.add_argument("-o", "--output", metavar="OUT.jsonl",
                      help="write records here (atomically); default: stdout")
    norm.add_argument("--errors", metavar="ERRORS.jsonl",
                      help="write one line per failed input here; default: OUT.errors.jsonl beside --output, "
                      "none when writing to stdout")
    norm.add_argument("--max-bytes", type=int, default=MAX_INPUT_BYTES, metavar="N",
                      help=f"largest input file read (default {MAX_INPUT_BYTES:,}); larger ones get an error line")
    norm.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")
    norm.add_argument("--explain-papers", metavar="EXPLAIN.jsonl", nargs="?", const="-",
                      help="debug paper extraction: write every paper candidate with the evidence that produced it "
                      "and the judge's verdict (accepted, or rejected with the rule's reason), one JSON line each; "
                      "to stderr when no file is given")
    sub.add_parser("schema", help="print the JSON Schema of a record",
                   description="Print the JSON Schema of one output record (the contract in DESIGN.md).")
    _jobs(sub)
    return parser


def _jobs_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (0 or more; 0 = one per CPU)")
    return value


def _jobs(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    def common(p: argparse.ArgumentParser, fetches: bool = True) -> None:
        p.add_argument("--config", metavar="FILE", help="settings file (default: ./notepipe.toml if present)")
        p.add_argument("-q", "--quiet", action="store_true", help="only errors and the final table")
        p.add_argument("-v", "--verbose", action="store_true", help="log every request")
        p.add_argument("-j", "--jobs", type=_jobs_count, default=1, metavar="N",
                       help="curate in N worker processes (0: one per CPU; default 1). Worth it from a few hundred "
                       "posts to process; the output is the same bytes")
        if fetches:
            p.add_argument("--no-curate", action="store_true",
                           help="fetch only (no paper resolution either); leave curated/ as it is")
            p.add_argument("--strict", action="store_true", help="exit 1 if a source failed or was unreachable")

    run = sub.add_parser(
        "run", help="fetch every configured source incrementally, then curate",
        description="The scheduled job. Fetch each source in the config into raw/ (only what is new or changed: "
        "an unchanged source costs one conditional request), then rebuild curated/ from raw/. Sources that "
        "cannot be reached are reported and skipped; their progress is kept for the next run.",
    )
    common(run)
    run.add_argument("--full", action="store_true", help="walk every source's whole history from the top, not just "
                     "what is new (a saved cursor is not resumed)")
    run.add_argument("--only", metavar="SPEC", action="append", help="only this configured source (repeatable), "
                     "e.g. --only qiita:someone")
    back = sub.add_parser(
        "backfill", help="fetch one author's whole history, then curate",
        description="Fetch every post of one source into raw/, then curate. SOURCE is qiita:USER, "
        "hatena:BLOG_HOST or github:OWNER/REPO[/PATH]. Settings come from the config's matching source, if any, "
        "overridden by --set. Interrupted backfills resume where they stopped.",
    )
    back.add_argument("spec", metavar="SOURCE", help="qiita:USER | hatena:BLOG_HOST | github:OWNER/REPO[/PATH]")
    common(back)
    back.add_argument("--set", metavar="KEY=VALUE", action="append", default=[], dest="overrides",
                      help="source setting, e.g. --set api_base=http://127.0.0.1:8080/api/v2 or --set branch=dev")
    res = sub.add_parser(
        "resolve", help="look the papers of raw/'s posts up (arXiv API by ID, OpenAlex by title), then curate",
        description="Resolve every distinct paper the posts mention to canonical metadata: arXiv IDs through the "
        "arXiv API (100 IDs a request, one request every [papers].arxiv_interval_s), titles without an ID through "
        "OpenAlex. Answers are kept in raw/arxiv/ and raw/openalex/: found papers for good, misses are asked again "
        "after 30 days. `notepipe run` and `backfill` do this after fetching. Then curate, unless --no-curate.",
    )
    common(res, fetches=False)
    res.add_argument("--refresh", action="store_true", help="ask again about every paper, found ones included")
    res.add_argument("--no-curate", action="store_true", help="resolve only; leave curated/ as it is")
    res.add_argument("--strict", action="store_true", help="exit 1 if an API failed or was unreachable")
    cur = sub.add_parser(
        "curate", help="rebuild curated/ from raw/ (offline, incremental)",
        description="Turn the latest version of every post in raw/ (plus local files such as raw/samples/) into "
        "records: sharded JSONL, a papers index, errors.jsonl, manifest.json, schema.json and a dataset card. "
        "Only posts whose content or the pipeline version changed are processed again.",
    )
    common(cur, fetches=False)


def _explain(files: list[Path], target: str) -> None:
    from notepipe.normalize import explain_bytes

    with ExitStack() as stack:
        out: IO[str] = sys.stderr if target == "-" else stack.enter_context(atomic_writer(target))
        for path in files:
            try:
                posts = explain_bytes(path.read_bytes(), source_path=os.fspath(path))
            except Exception:  # the input's error is already reported by normalize
                continue
            for post, verdicts in enumerate(posts):
                for v in verdicts:
                    c = v.candidate
                    out.write(json.dumps({
                        "source_path": os.fspath(path), "post": post, "line": max(c.pos, 0) // LINE_STRIDE,
                        "evidence": c.evidence, "text": c.text, "arxiv_id": c.arxiv_id, "accepted": v.accepted,
                        "reason": v.reason, "title": v.title, "role": v.role if v.accepted else None,
                    }, ensure_ascii=False) + "\n")


def _normalize(args: argparse.Namespace) -> int:
    files = expand_inputs(args.paths)
    errors_path = Path(args.errors) if args.errors else (
        Path(args.output).with_suffix(".errors.jsonl") if args.output else None
    )
    stats = NormalizeReport()
    progress = None
    if not args.quiet and len(files) > 1:
        from tqdm import tqdm

        progress = tqdm(total=len(files), unit="file", file=sys.stderr, disable=None, desc="normalize")
    with ExitStack() as stack:
        # Records go out as bytes straight from pydantic, a long record's line in parts: one long post's line is
        # never held as text, nor whole.
        sys.stdout.flush()
        out: IO[bytes] = (stack.enter_context(atomic_open(args.output, "wb")) if args.output
                          else sys.stdout.buffer)
        err_out: IO[str] | None = stack.enter_context(atomic_writer(errors_path)) if errors_path else None
        last_file = 0
        for item in normalize_paths(files, stats, args.max_bytes):
            if isinstance(item, Record):
                out.writelines(dumps_parts(item))
                out.write(b"\n")
            else:
                _report(item, err_out)
            if progress is not None and stats.files != last_file:
                progress.update(stats.files - last_file)
                last_file = stats.files
    if not args.output:
        sys.stdout.buffer.flush()
    if progress is not None:
        progress.close()
    if args.explain_papers:
        _explain([f for f in files if isinstance(f, Path)], args.explain_papers)  # (a refused file has no papers)
    if not args.quiet:
        where = f" → {args.output}" if args.output else ""
        errs = f" (errors → {errors_path})" if errors_path and stats.errors else ""
        print(f"notepipe normalize{where}{errs}\n{stats.summary()}", file=sys.stderr)
    return 0


def _report(error: ErrorRecord, err_out: IO[str] | None) -> None:
    print(f"notepipe: error: {error.source_path}: {error.stage}: {error.message}", file=sys.stderr)
    if err_out is not None:
        err_out.write(dumps(error) + "\n")


def _setup_logging(args: argparse.Namespace) -> None:
    level = logging.DEBUG if args.verbose else logging.WARNING if args.quiet else logging.INFO
    logging.basicConfig(level=level, format="notepipe: %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # our client logs requests itself, without headers


def _say(args: argparse.Namespace, message: str) -> None:
    if not args.quiet:
        print(message, file=sys.stderr)


def _fetch(args: argparse.Namespace, config: Config, sources: list[SourceConfig], full: bool,
           restart: bool = False) -> list[SourceReport]:
    from notepipe.reports import text_table
    from notepipe.sources import scrape

    mode = "whole history" if full else "incremental"
    reports = scrape(config, sources=sources, full=full, restart=restart,
                     on_start=lambda s: _say(args, f"fetching {s.name} ({mode}) …"),
                     on_done=lambda r: _say(
        args, f"  {r.source}: {r.status}: {r.new} new, {r.updated} updated, {r.unchanged} unchanged, "
        f"{r.failed} failed ({r.requests} request{'' if r.requests == 1 else 's'})"))
    print(text_table(reports), file=sys.stderr)
    return reports


def _bar(args: argparse.Namespace, desc: str) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    """A progress callback `(done, total)` drawing a tqdm bar on stderr, and its closer; none with -q."""
    if args.quiet:
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(unit="post", file=sys.stderr, disable=None, desc=desc)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return progress, bar.close


def _resolve(args: argparse.Namespace, config: Config, refresh: bool = False) -> list[SourceReport]:
    from notepipe.resolution import resolve

    if not config.papers.resolve:
        _say(args, "paper resolution is off ([papers].resolve = false)")
        return []
    _say(args, f"resolving papers ({'every paper again' if refresh else 'those not resolved yet'}) …")
    progress, close = _bar(args, "process")  # posts not cached yet are processed first (curate then reuses them)
    try:
        return resolve(config, refresh=refresh, jobs=args.jobs, progress=progress, on_done=lambda r: _say(
            args, f"  {r.source}: {r.status}: {r.new} found, {r.skipped} not found, {r.unchanged} known, "
            f"{r.failed} failed ({r.requests} request{'' if r.requests == 1 else 's'})"))
    finally:
        close()


def _curate(args: argparse.Namespace, config: Config) -> None:
    from notepipe.curate import curate

    progress, close = _bar(args, "curate")
    _say(args, f"curating {config.raw_dir} → {config.curated_dir} …")
    try:
        report = curate(config.raw_dir, config.curated_dir, progress=progress, jobs=args.jobs,
                        max_bytes=config.http.max_bytes)
    finally:
        close()
    print(report.summary(), file=sys.stderr)


def _job(args: argparse.Namespace) -> int:
    _setup_logging(args)
    config = load_config(args.config)
    reports: list[SourceReport] = []
    fetched = args.command in {"run", "backfill"}
    if args.command == "run":
        sources = config.sources
        if args.only:
            unknown = [s for s in args.only if config.find(s) is None]
            if unknown:
                raise ConfigError(f"--only {', '.join(unknown)}: not in the config "
                                  f"(configured: {', '.join(s.name for s in config.sources) or 'none'})")
            sources = [s for s in sources if s.name in args.only]
        reports = _fetch(args, config, sources, args.full, restart=args.full)  # --full: from the top
    elif args.command == "backfill":
        source = parse_spec(args.spec, args.overrides, config)
        config = config.model_copy(update={"sources": [*config.sources, source]})
        reports = _fetch(args, config, [source], full=True)
    if args.command == "resolve" or (fetched and not args.no_curate):
        resolved = _resolve(args, config, refresh=getattr(args, "refresh", False))
        if resolved:
            from notepipe.reports import text_table

            print(text_table(resolved), file=sys.stderr)
        reports += resolved
    if args.command == "curate" or not args.no_curate:
        _curate(args, config)
    bad = [r for r in reports if r.status in {"failed", "unreachable"}]
    return 1 if bad and getattr(args, "strict", False) else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _parser().parse_args(argv)
    if args.command == "schema":
        print(json.dumps(Record.model_json_schema(), ensure_ascii=False, indent=2))
        return 0
    if args.command == "normalize":
        return _normalize(args)
    try:
        return _job(args)
    except ConfigError as exc:
        print(f"notepipe: error: {exc}", file=sys.stderr)
        return 2
    except LockedError as exc:
        print(f"notepipe: error: {exc}", file=sys.stderr)
        return 3
    except OSError as exc:  # disk full, permissions: what was written before is intact (every write is atomic)
        print(f"notepipe: error: could not write: {exc} (free space or fix permissions, then re-run: "
              "nothing already written is lost)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
