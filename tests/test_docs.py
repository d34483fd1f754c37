"""README.md and docs/: the README stays short, and every relative link and anchor leads somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Inline markdown links `[label](target)`; code spans are removed first, so `[x](y)` inside backticks is no link.
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
_CODE = re.compile(r"`[^`\n]*`")
_HEADING = re.compile(r"^#{1,6} +(.+?) *#*$", re.MULTILINE)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: markup and punctuation dropped, lower case, spaces as hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    return {_slug(h) for h in _HEADING.findall(_FENCE.sub("", page.read_text("utf-8")))}


def _links(page: Path) -> list[str]:
    return _LINK.findall(_CODE.sub("", _FENCE.sub("", page.read_text("utf-8"))))


def test_the_readme_is_at_most_12_kb_and_opens_with_the_two_commands() -> None:
    data = (ROOT / "README.md").read_bytes()
    assert len(data) <= 12 * 1024, f"README.md is {len(data):,} bytes"
    first_screen = "\n".join(data.decode("utf-8").splitlines()[:25])
    assert ".venv/bin/notepipe run" in first_screen
    # .ci/run runs exactly this test command after installing '.[dev]' under constraints.txt.
    assert "-c constraints.txt -e '.[dev]' && .venv/bin/python -m pytest" in first_screen


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_points_at_an_existing_file_and_anchor(page: Path) -> None:
    broken = []
    for target in _links(page):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http(s), mailto: not checked offline
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists() or (anchor and dest.suffix == ".md" and anchor not in _anchors(dest)):
            broken.append(target)
    assert not broken, f"{page.name}: broken links {broken}"


def test_every_docs_page_is_listed_in_the_docs_index() -> None:
    index = (ROOT / "docs" / "README.md").read_text("utf-8")
    missing = [p.name for p in PAGES[1:] if p.name != "README.md" and f"({p.name})" not in index]
    assert not missing, f"docs/README.md does not list {missing}"
