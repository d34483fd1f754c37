"""The public surface is what `notepipe.__all__` says, and the schema is the record contract."""

from __future__ import annotations

import json
from pathlib import Path

import notepipe
from notepipe.cli import main

ROOT = Path(__file__).resolve().parents[1]

CONTRACT = {
    "id", "source", "url", "source_path", "author", "title", "published_at", "updated_at", "fetched_at", "tags",
    "lang", "segments", "text", "tokens", "papers", "arxiv_ids", "links", "content_hash", "pipeline_version",
}


def test_exported_members() -> None:
    public = {name for name in dir(notepipe) if not name.startswith("_") and name not in {"annotations"}}
    modules = {name for name in public if type(getattr(notepipe, name)).__name__ == "module"}
    assert sorted(public - modules) == sorted(set(notepipe.__all__) - {"__version__"})


def test_record_has_every_contract_field() -> None:
    assert set(notepipe.Record.model_fields) == CONTRACT


def test_schema_command_prints_the_record_schema(capsys: object) -> None:
    assert main(["schema"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    schema = json.loads(out)
    assert set(schema["properties"]) == CONTRACT
    assert {"Paper", "Segment"} <= set(schema["$defs"])


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "curated" / "schema.json").read_text("utf-8"))
    assert committed == notepipe.Record.model_json_schema(), "run: notepipe schema > curated/schema.json"


def test_the_core_never_imports_prefect() -> None:
    import subprocess
    import sys

    code = "import sys, notepipe, notepipe.cli, notepipe.curate, notepipe.sources; print('prefect' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False", "the core must stay importable without Prefect (flows/ holds the wrappers)"
