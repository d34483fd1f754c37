"""End-of-run tables of source reports: plain text for the terminal, markdown for Prefect artifacts."""

from __future__ import annotations

from notepipe.sources import SourceReport

COLUMNS = ("source", "status", "new", "updated", "unchanged", "skipped", "failed", "requests")


def rows(reports: list[SourceReport]) -> list[dict[str, str | int]]:
    """One dict per source with the table's columns."""
    return [{c: getattr(r, c) for c in COLUMNS} for r in reports]


def text_table(reports: list[SourceReport]) -> str:
    """An aligned table plus one line per source that needs attention."""
    if not reports:
        return "no sources configured (add [[sources]] to notepipe.toml, or use `notepipe backfill`)"
    cells = [list(COLUMNS)] + [[str(v) for v in row.values()] for row in rows(reports)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in cells]
    notes = [f"  {r.source}: {r.status}: {r.message}" for r in reports if r.message]
    notes += [f"  {r.source}: {e.message}" for r in reports for e in r.errors if e.message not in r.message][:20]
    return "\n".join(lines + notes)


def markdown_table(reports: list[SourceReport]) -> str:
    """The same table in markdown, with the attention notes as a list."""
    head = "| " + " | ".join(COLUMNS) + " |\n|" + "---|" * len(COLUMNS) + "\n"
    body = "".join("| " + " | ".join(str(v) for v in row.values()) + " |\n" for row in rows(reports))
    notes = "".join(f"\n- **{r.source}** ({r.status}): {r.message}" for r in reports if r.message)
    return head + body + notes
