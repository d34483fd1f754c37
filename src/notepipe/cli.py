"""The `notepipe` command line."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from notepipe._version import __version__
from notepipe.jsonl import atomic_writer, dumps
from notepipe.models import ErrorRecord, Record
from notepipe.normalize import SUFFIXES, Stats, expand, normalize_paths

_EPILOG = """\
examples:
  notepipe normalize ../shared/eval/seeds -o curated/seeds.jsonl
  notepipe normalize post.html item.json notes.md > records.jsonl
  notepipe schema > schema.json
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
        f"detected from the content. Directories are searched recursively for {', '.join(sorted(SUFFIXES))}. "
        "Inputs that fail are reported on stderr and written to an errors file; the rest go on.",
    )
    norm.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    norm.add_argument("-o", "--output", metavar="OUT.jsonl",
                      help="write records here (atomically); default: stdout")
    norm.add_argument("--errors", metavar="ERRORS.jsonl",
                      help="write one line per failed input here; default: OUT.errors.jsonl beside --output, "
                      "none when writing to stdout")
    norm.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")
    sub.add_parser("schema", help="print the JSON Schema of a record",
                   description="Print the JSON Schema of one output record (the contract in DESIGN.md).")
    return parser


def _normalize(args: argparse.Namespace) -> int:
    files = expand(args.paths)
    errors_path = Path(args.errors) if args.errors else (
        Path(args.output).with_suffix(".errors.jsonl") if args.output else None
    )
    stats = Stats()
    progress = None
    if not args.quiet and len(files) > 1:
        from tqdm import tqdm

        progress = tqdm(total=len(files), unit="file", file=sys.stderr, disable=None, desc="normalize")
    with ExitStack() as stack:
        out: IO[str] = stack.enter_context(atomic_writer(args.output)) if args.output else sys.stdout
        err_out: IO[str] | None = stack.enter_context(atomic_writer(errors_path)) if errors_path else None
        last_file = 0
        for item in normalize_paths(files, stats):
            if isinstance(item, Record):
                out.write(dumps(item) + "\n")
            else:
                _report(item, err_out)
            if progress is not None and stats.files != last_file:
                progress.update(stats.files - last_file)
                last_file = stats.files
    if progress is not None:
        progress.close()
    if not args.quiet:
        where = f" → {args.output}" if args.output else ""
        errs = f" (errors → {errors_path})" if errors_path and stats.errors else ""
        print(f"notepipe normalize{where}{errs}\n{stats.summary()}", file=sys.stderr)
    return 0


def _report(error: ErrorRecord, err_out: IO[str] | None) -> None:
    print(f"notepipe: error: {error.source_path}: {error.stage}: {error.message}", file=sys.stderr)
    if err_out is not None:
        err_out.write(dumps(error) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _parser().parse_args(argv)
    if args.command == "schema":
        print(json.dumps(Record.model_json_schema(), ensure_ascii=False, indent=2))
        return 0
    return _normalize(args)


if __name__ == "__main__":
    sys.exit(main())
