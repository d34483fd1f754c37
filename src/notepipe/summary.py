"""The per-source tables under the names `flows/scrape.py` imports; they live in `notepipe.reports`."""

from notepipe.reports import SOURCE_COLUMNS as COLUMNS
from notepipe.reports import markdown_table, text_table
from notepipe.reports import source_rows as rows

__all__ = ["COLUMNS", "markdown_table", "rows", "text_table"]
