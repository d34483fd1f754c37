"""notepipe's benchmark: ratios measured in one run on a deterministic synthetic corpus; prints a table, writes JSON.

Sections (`--sections`, comma-separated):
  limit        the bare tokenizers (fugashi over the Japanese segments, python-mecab-ko over the Korean ones, batched
               calls, nothing else) vs the whole `normalize` path over the same corpus; goal ≥ 0.5× of the fastest
               call (wakati output); a token-object call, as the issue measured, is reported beside it, and
               so is the ceiling: the ratio if normalize's analyzer calls ran at the bare speed, from a second
               pass with them answering no tokens (what every other stage costs)
  peer         `trafilatura.extract` alone vs notepipe's whole per-page work (extract, clean, language, tokens,
               papers) over the corpus's HTML pages; goal ≥ 1× (skipped when trafilatura is not installed:
               `pip install -e '.[bench]'`)
  memory       peak RSS of a fresh process normalizing the corpus at two sizes; goal: flat (≤ 1.25× growth)
  incremental  an unchanged incremental run against the loopback fixture site (benchmarks/incremental.py)
  scaleout     curate on the default (thread) runner and on Dask (benchmarks/scaleout.py); goal ≥ 1.7× on Dask,
               beside the speedup of the processing phase alone and a check that every output is byte-identical

Usage: python benchmarks/run.py [--mb 20] [--out bench.json] [--sections limit,peer,memory] [--tiny]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import generate  # noqa: E402

ALL_SECTIONS = ("limit", "peer", "memory", "incremental", "scaleout")
DEFAULT_SECTIONS = "limit,peer,memory,incremental,scaleout"
TINY_MB = 0.2
# Bare-tokenizer batches: segments joined into calls of about this many characters, the fastest size measured
# here (fugashi slows down past a few thousand characters per call, python-mecab-ko past about one thousand:
# its character offsets cost more the longer the input).
JA_BATCH = 2_000
KO_BATCH = 1_000
LIMIT_GOAL = 0.5
PEER_GOAL = 1.0
MEMORY_GOAL = 1.25
SCALEOUT_GOAL = 1.7
PEER_MAX_PAGES = 600


# ---- limit: bare tokenizers vs normalize ---------------------------------------------------------------------

def _batches(texts: list[str], size: int) -> Iterator[str]:
    """Join segments with newlines into calls of at most `size` characters (one segment may exceed it)."""
    buf: list[str] = []
    n = 0
    for text in texts:
        if buf and n + len(text) > size:
            yield "\n".join(buf)
            buf, n = [], 0
        buf.append(text)
        n += len(text) + 1
    if buf:
        yield "\n".join(buf)


def _time_normalize(files: list[Path]) -> tuple[float, int, int, dict[str, list[str]]]:
    """(seconds, records, output text chars, prose segments by language) of one `normalize` pass."""
    from notepipe.language import segment_language
    from notepipe.normalize import normalize_paths
    from notepipe.reports import NormalizeReport as Stats

    # One-time loads, untimed (as the bare side's first call is): the dictionaries, and langdetect's profiles,
    # which only a Latin line that is not plainly English reaches.
    list(normalize_paths(files[:8], Stats()))
    segment_language("Die Ergebnisse dieser Arbeit zeigen eine deutliche Verbesserung")
    stats = Stats()
    elapsed, records = _normalize_pass(files, stats)
    segments: dict[str, list[str]] = {"ja": [], "ko": []}
    for record in records:
        for seg in getattr(record, "segments", ()):
            if seg.kind == "text" and seg.lang in segments:
                segments[seg.lang].append(seg.text)
    return elapsed, stats.records, stats.chars, segments


def _normalize_pass(files: list[Path], stats: Any) -> tuple[float, list[Any]]:
    """(seconds, records) of `normalize` over `files`, each record serialized, as the CLI does."""
    from notepipe.jsonl import dumps
    from notepipe.normalize import normalize_paths

    records = []
    start = time.perf_counter()
    for record in normalize_paths(files, stats):
        dumps(record)  # serializing is part of the path
        records.append(record)
    return time.perf_counter() - start, records


def _time_without_analyzers(files: list[Path]) -> float:
    """Seconds of the same `normalize` pass with the Japanese and Korean analyzer calls answering no tokens:
    what every other stage costs. Records then carry fewer tokens to validate and write, so this is a floor."""
    from notepipe.reports import NormalizeReport as Stats

    tokenize = importlib.import_module("notepipe.tokenize")  # the module: the package re-exports `tokenize()`
    analyzer = tokenize._analyzer

    def no_ja_ko(lang: str) -> Callable[[str], list[str]]:
        return (lambda _text: []) if lang in ("ja", "ko") else analyzer(lang)

    with mock.patch.object(tokenize, "_analyzer", no_ja_ko):
        return _normalize_pass(files, Stats())[0]


def _time_bare(analyze: Callable[[str], list[str]], texts: list[str], size: int) -> tuple[float, int, int]:
    """(seconds, chars, tokens) of `analyze` over `texts` in batched calls."""
    batches = list(_batches(texts, size))
    if batches:
        analyze(batches[0][:200])
    start = time.perf_counter()
    outputs = [analyze(batch) for batch in batches]
    elapsed = time.perf_counter() - start
    # Counted untimed, blanks left out (wakati output can end in a lone newline).
    return elapsed, sum(len(t) for t in texts), sum(1 for out in outputs for token in out if token.strip())


def _bare_calls() -> dict[str, tuple[Callable[[str], list[str]], Callable[[str], list[str]]]]:
    """(Japanese, Korean) analyzer calls by style. `wakati`: one string of surfaces per call, the fastest call
    each binding has and the one normalize makes, so it is the limit. `objects`: a node (fugashi) or lattice
    offset (python-mecab-ko) per token, how the issue measured its baseline; reported for comparison."""
    import fugashi
    import mecab
    from mecab.utils import create_lattice

    from notepipe.tokenize import _fugashi, _mecab_ko

    tagger = fugashi.Tagger()
    ko_tagger = mecab.MeCab()._tagger

    def ja_objects(text: str) -> list[str]:
        return [w.surface for w in tagger(text)]

    def ko_objects(text: str) -> list[str]:
        lattice = create_lattice(text)
        ko_tagger.parse(lattice)
        return [text[start:end] for (start, end), _node in lattice]

    return {"wakati": (_fugashi(), _mecab_ko()), "objects": (ja_objects, ko_objects)}


def section_limit(files: list[Path]) -> dict[str, Any]:
    norm_s, records, out_chars, segments = _time_normalize(files)
    rest_s = _time_without_analyzers(files)
    out: dict[str, Any] = {"records": records, "text_chars": out_chars, "normalize_s": round(norm_s, 3),
                           "normalize_chars_per_s": round(out_chars / norm_s),
                           "normalize_without_analyzers_s": round(rest_s, 3)}
    for style, (ja, ko) in _bare_calls().items():
        ja_s, ja_chars, ja_tokens = _time_bare(ja, segments["ja"], JA_BATCH)
        ko_s, ko_chars, ko_tokens = _time_bare(ko, segments["ko"], KO_BATCH)
        bare_s = ja_s + ko_s
        out[style] = {
            "bare_ja": {"s": round(ja_s, 3), "chars": ja_chars, "tokens": ja_tokens,
                        "chars_per_s": round(ja_chars / ja_s) if ja_s else 0},
            "bare_ko": {"s": round(ko_s, 3), "chars": ko_chars, "tokens": ko_tokens,
                        "chars_per_s": round(ko_chars / ko_s) if ko_s else 0},
            "bare_s": round(bare_s, 3),
            "bare_chars_per_s": round((ja_chars + ko_chars) / bare_s) if bare_s else 0,
            # Same corpus on both sides: the ratio of times is the ratio of throughputs.
            "ratio": round(bare_s / norm_s, 3),
            # The most normalize could reach if its analyzer calls ran as fast as these and nothing else changed.
            "ceiling": round(bare_s / (rest_s + bare_s), 3),
        }
    out["ratio"] = out["wakati"]["ratio"]  # the goal is judged against the fastest call
    out["goal"] = LIMIT_GOAL
    return out


# ---- peer: trafilatura.extract vs notepipe per HTML page -----------------------------------------------------

def section_peer(files: list[Path]) -> dict[str, Any]:
    try:
        import trafilatura
    except ImportError:
        return {"skipped": "trafilatura is not installed (pip install -e '.[bench]')"}
    from notepipe.normalize import normalize_bytes

    pages = [p.read_bytes() for p in files if p.suffix == ".html"][:PEER_MAX_PAGES]
    if not pages:
        return {"skipped": "no HTML pages in the corpus"}
    texts = [p.decode("utf-8") for p in pages]
    for text, data in zip(texts[:3], pages[:3], strict=True):  # warm both up, untimed
        trafilatura.extract(text)
        normalize_bytes(data)
    start = time.perf_counter()
    extracted = sum(len(trafilatura.extract(text) or "") for text in texts)
    peer_s = time.perf_counter() - start
    start = time.perf_counter()
    ours = sum(len(r.text) for data in pages for r in normalize_bytes(data))
    ours_s = time.perf_counter() - start
    return {
        "pages": len(pages),
        "page_kb": round(sum(map(len, pages)) / len(pages) / 1000, 1),
        "trafilatura_s": round(peer_s, 3),
        "trafilatura_pages_per_s": round(len(pages) / peer_s, 1),
        "trafilatura_chars": extracted,
        "notepipe_s": round(ours_s, 3),
        "notepipe_pages_per_s": round(len(pages) / ours_s, 1),
        "notepipe_chars": ours,
        "ratio": round(peer_s / ours_s, 3),
        "goal": PEER_GOAL,
    }


# ---- memory: peak RSS of a fresh process at two corpus sizes -------------------------------------------------

def _prefix(files: list[Path], max_bytes: int) -> list[Path]:
    out, total = [], 0
    for path in files:
        if total >= max_bytes:
            break
        out.append(path)
        total += path.stat().st_size
    return out


def memory_child(corpus: Path, max_bytes: int) -> None:
    """In a fresh process: normalize the first `max_bytes` of the corpus to /dev/null; print peak RSS as JSON."""
    from notepipe.jsonl import dumps
    from notepipe.normalize import expand, normalize_paths
    from notepipe.reports import NormalizeReport as Stats

    files = _prefix(expand([corpus]), max_bytes)
    stats = Stats()
    with Path(os.devnull).open("w", encoding="utf-8") as sink:
        for item in normalize_paths(files, stats):
            sink.write(dumps(item) + "\n")
    status = Path("/proc/self/status").read_text()
    hwm_kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
    if not hwm_kb:  # no /proc: ru_maxrss is KiB on Linux
        import resource

        hwm_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"files": len(files), "bytes": sum(p.stat().st_size for p in files),
                      "records": stats.records, "peak_rss_mb": round(hwm_kb / 1024, 1)}))


def section_memory(corpus: Path, total_bytes: int) -> dict[str, Any]:
    sizes = [max(1, total_bytes // 4), total_bytes]
    runs = []
    for size in sizes:
        proc = subprocess.run([sys.executable, __file__, "--memory-child", str(corpus), str(size)],
                              capture_output=True, text=True, check=True, cwd=ROOT)
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    small, large = runs
    return {
        "small": small,
        "large": large,
        "growth": round(large["peak_rss_mb"] / small["peak_rss_mb"], 3),
        "goal": MEMORY_GOAL,
    }


# ---- the other helpers' sections, loaded lazily --------------------------------------------------------------

def _optional(module: str, call: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    try:
        mod = importlib.import_module(f"benchmarks.{module}")
    except ImportError as exc:
        return {"skipped": f"benchmarks/{module}.py is not available ({exc})"}
    return call(mod)


# ---- table and main ------------------------------------------------------------------------------------------

def _rows(results: dict[str, dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    for name, res in results.items():
        if "skipped" in res:
            rows.append((name, "skipped", "", res["skipped"]))
            continue
        if name == "limit":
            for style in ("objects", "wakati"):
                bare = res[style]
                rows += [
                    (f"limit: bare fugashi (ja), {style}, chars/s", f"{bare['bare_ja']['chars_per_s']:,}", "", ""),
                    (f"limit: bare mecab-ko (ko), {style}, chars/s", f"{bare['bare_ko']['chars_per_s']:,}", "", ""),
                ]
            rows += [
                ("limit: normalize text chars/s", f"{res['normalize_chars_per_s']:,}", "", ""),
                ("limit: normalize / bare, objects (the issue's baseline)", f"{res['objects']['ratio']:.2f}x", "",
                 ""),
                ("limit: normalize / bare, wakati (the fastest call)", f"{res['ratio']:.2f}x", f">= {LIMIT_GOAL}x",
                 _ok(res["ratio"] >= LIMIT_GOAL)),
                ("limit: normalize without the ja/ko analyzer calls, s",
                 f"{res['normalize_without_analyzers_s']:.2f} s of {res['normalize_s']:.2f} s", "", ""),
                ("limit: ceiling, analyzer calls at bare wakati speed", f"{res['wakati']['ceiling']:.2f}x", "", ""),
            ]
        elif name == "scaleout" and "speedup_dask_vs_default" in res:
            rows += _scaleout_rows(res)
        elif name == "incremental" and "unchanged" in res:
            rows += _incremental_rows(res)
        elif name == "peer":
            rows += [
                ("peer: trafilatura.extract pages/s", f"{res['trafilatura_pages_per_s']:,}", "", ""),
                ("peer: notepipe pages/s", f"{res['notepipe_pages_per_s']:,}", "", ""),
                ("peer: notepipe / trafilatura", f"{res['ratio']:.2f}x", f">= {PEER_GOAL}x",
                 _ok(res["ratio"] >= PEER_GOAL)),
            ]
        elif name == "memory":
            rows += [
                (f"memory: peak RSS at {res['small']['bytes'] / 1e6:.2f} MB", f"{res['small']['peak_rss_mb']} MB",
                 "", ""),
                (f"memory: peak RSS at {res['large']['bytes'] / 1e6:.2f} MB", f"{res['large']['peak_rss_mb']} MB",
                 "", ""),
                ("memory: growth", f"{res['growth']:.2f}x", f"<= {MEMORY_GOAL}x", _ok(res["growth"] <= MEMORY_GOAL)),
            ]
        else:
            for key, value in res.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    rows.append((f"{name}: {key}", f"{value:,}", "", ""))
    return rows


def _incremental_rows(res: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The unchanged run against the goals incremental.py judged (1 request per source, 0 posts re-processed),
    and its wall time."""
    unchanged, goals = res["unchanged"], res["goals"]
    most = max(unchanged["requests_per_source"].values(), default=0)
    return [
        ("incremental: unchanged run, most requests to one source", str(most), "1",
         _ok(goals["one_request_per_source"])),
        ("incremental: unchanged run, posts re-processed", str(unchanged["reprocessed_posts"]), "0",
         _ok(goals["zero_reprocessed"])),
        (f"incremental: CLI run beyond start-up, at {res['rate_per_s']:g} request/s per host",
         f"{res['cli_beyond_startup_s']:.2f} s", "", ""),
        ("incremental: same, no rate limit", f"{res['cli_fast_beyond_startup_s']:.2f} s", "", ""),
    ]


def _scaleout_rows(res: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Whole-run speedups against the goal; the processing phase alone (plan's end to assemble's start) shows
    how much of the gap is the flow's fixed cost around the batches."""
    def phase(mode: str) -> float:
        return float(res[mode].get("phases", {}).get("process_s") or 0)

    rows = [("scaleout: posts, input MB", f"{res['files']:,}, {res['input_mb']}", "", "")]
    for label, mode, key in (("cluster started by the flow", "dask", "speedup_dask_vs_default"),
                             ("warm cluster", "dask-warm", "speedup_warm_dask_vs_default")):
        speedup = res[key]
        rows.append((f"scaleout: Dask vs default runner, {label}", f"{speedup:.2f}x", f">= {SCALEOUT_GOAL}x",
                     _ok(speedup >= SCALEOUT_GOAL)))
        if phase("default") and phase(mode):
            rows.append((f"scaleout: same, processing phase only, {label}", f"{phase('default') / phase(mode):.2f}x",
                         "", ""))
    identical = "plain_runs_differ" not in res and all(
        value for key, value in res.items() if key.endswith("_identical_to_plain"))
    rows += [
        ("scaleout: curate -j 2 vs curate", f"{res['speedup_plain_jobs_vs_plain']:.2f}x", "", ""),
        ("scaleout: every run byte-identical to plain curate", "yes" if identical else "NO", "yes", _ok(identical)),
    ]
    return rows


def _ok(flag: bool) -> str:
    return "ok" if flag else "MISS"


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    widths = [max(len(r[i]) for r in [("metric", "value", "goal", "ok"), *rows]) for i in range(4)]
    for i, row in enumerate([("metric", "value", "goal", "ok"), *rows]):
        print("  ".join(cell.ljust(w) if j != 1 else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths,
                                                                                                     strict=True))))
        if i == 0:
            print("  ".join("-" * w for w in widths))


def _commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    ap.add_argument("--out", type=Path, default=Path("bench.json"), help="JSON results (default bench.json)")
    ap.add_argument("--sections", default=DEFAULT_SECTIONS, help=f"comma-separated, of: {', '.join(ALL_SECTIONS)}")
    ap.add_argument("--tiny", action="store_true", help=f"a {TINY_MB} MB corpus (the CI smoke test)")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/notepipe-bench"), help="scratch folder for the corpus")
    ap.add_argument("--workers", type=int, default=2, help="Dask workers for the scaleout section")
    ap.add_argument("--repeat", type=int, default=1,
                    help="scaleout: rounds of all modes, alternating; each mode reports its median (default 1)")
    ap.add_argument("--memory-child", nargs=2, metavar=("CORPUS", "BYTES"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.memory_child:
        memory_child(Path(args.memory_child[0]), int(args.memory_child[1]))
        return 0
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = set(sections) - set(ALL_SECTIONS)
    if unknown:
        ap.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    mb = TINY_MB if args.tiny else args.mb
    args.mb = mb
    corpus = args.work / f"corpus-{mb:g}mb-seed{args.seed}"
    start = time.perf_counter()
    files = generate(corpus, int(mb * 1_000_000), seed=args.seed)
    total = sum(p.stat().st_size for p in files)
    print(f"corpus: {len(files)} files, {total / 1e6:.2f} MB in {corpus} ({time.perf_counter() - start:.1f} s)",
          file=sys.stderr)
    results: dict[str, dict[str, Any]] = {}
    for name in sections:
        print(f"running {name} …", file=sys.stderr)
        start = time.perf_counter()
        if name == "limit":
            results[name] = section_limit(files)
        elif name == "peer":
            results[name] = section_peer(files)
        elif name == "memory":
            results[name] = section_memory(corpus, total)
        elif name == "incremental":
            results[name] = _optional("incremental", lambda mod: mod.run(args))
        else:
            results[name] = _optional("scaleout", lambda mod: mod.run(corpus, args))
        results[name]["section_s"] = round(time.perf_counter() - start, 2)
    rows = _rows(results)
    print_table(rows)
    report = {
        "commit": _commit(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "corpus": {"mb": mb, "seed": args.seed, "files": len(files), "bytes": total},
        "sections": results,
        "table": [dict(zip(("metric", "value", "goal", "ok"), row, strict=True)) for row in rows],
    }
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
