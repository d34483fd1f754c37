"""Step 1 of 3: every span of a `Document` that may name a paper, with the evidence that produced it.

Evidence kinds, each a way review posts cite a paper:
`reviewed` (the post's own title, where a one-paper review names its paper), `title-field` (`Title: …`,
`**論文:** …`, a `## Title` section's first line), `reference` (a parsed reference string), `link` (a link to a
paper host, or a PDF, whose text is the title), `id-title` (`[1708.04896] Title`), `title-line` (a title line
next to a bare paper link), `quoted` (a quoted title in prose), `reference-list` (a line of a References
section, or an item under a `次に読むべき論文は?` label), `summary-header` (the title line over a paper-summary
template such as 落合's `どんなもの?`), `listed-title` (a reading list: title lines, each followed by a comment)
`link-list` (a list of long link texts, each a paper's title linked to its review),
`table-title` (a cell of a table's `Title` / `論文` column),
`announced` (the line after `以下の論文を参考にした` / `다음 논문`)
and `id` (an arXiv ID alone). The judge decides which become papers.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Literal
from urllib.parse import urlsplit

from notepipe.document import Block, Document, Span
from notepipe.papers._arxiv import IdMatch, iter_arxiv_ids
from notepipe.papers._titles import CJK_RE as _CJK_ANY
from notepipe.papers._titles import wordset
from notepipe.papers.references import Reference, join_lines, names, parse_reference, strip_author_prefix

Evidence = Literal[
    "reviewed", "title-field", "reference", "link", "id-title", "title-line", "quoted", "reference-list",
    "summary-header", "listed-title", "announced", "table-title", "link-list", "id",
]
LINE_STRIDE = 10_000  # a candidate's position: its source line times this, plus its order within the line


@dataclass(slots=True)
class Candidate:
    """A span that may be a paper title (or an arXiv ID alone), and why it was picked up."""

    text: str | None
    evidence: Evidence
    pos: int
    arxiv_id: str | None = None
    ref: Reference | None = None
    block: str = ""  # the block it came from, for explanations and the judge's context checks
    heading: bool = False  # read from a heading of the post
    notes: dict[str, str] = field(default_factory=dict)


# Hosts whose links point at a paper (arXiv and its mirrors, proceedings, publishers, DOIs).
PAPER_HOSTS = (
    "arxiv.org", "ar5iv.org", "ar5iv.labs.arxiv.org", "alphaxiv.org", "huggingface.co/papers", "openreview.net",
    "aclanthology.org", "aclweb.org/anthology", "proceedings.mlr.press", "papers.nips.cc", "proceedings.neurips.cc",
    "neurips.cc/paper", "openaccess.thecvf.com", "ieeexplore.ieee.org", "dl.acm.org", "doi.org", "dx.doi.org",
    "link.springer.com", "sciencedirect.com", "semanticscholar.org", "papers.ssrn.com", "jmlr.org/papers",
    "ojs.aaai.org", "aaai.org/ojs", "ijcai.org/proceedings", "nature.com/articles", "science.org/doi",
    "biorxiv.org", "medrxiv.org", "paperswithcode.com/paper", "researchgate.net/publication", "vldb.org/pvldb",
    "usenix.org/conference", "citeseerx.ist.psu.edu", "citeseer.ist.psu.edu", "ecva.net/papers", "bmva.org",
    "isca-speech.org/archive", "iclr.cc", "icml.cc", "cvpr", "jstage.jst.go.jp", "ci.nii.ac.jp",
)  # fmt: skip


def is_paper_url(url: str) -> bool:
    """True for a link to a paper: a paper host, a DOI, or a PDF file."""
    low = url.lower()
    if not low.startswith(("http://", "https://", "//")):
        return False
    try:
        parts = urlsplit(low)
    except ValueError:  # `http://[`: not a URL at all
        return False
    host_path = parts.netloc.removeprefix("www.") + parts.path
    if parts.path.endswith(".pdf") or host_path.startswith(PAPER_HOSTS):
        return True
    # A subdomain of a paper host (`export.arxiv.org`, `proceedings.neurips.cc`): `.{host}` ending within
    # len(host) + 40 characters, that is a dot among the first 40 characters followed by a host.
    dot = host_path.find(".", 0, 40)
    while dot >= 0:
        if host_path.startswith(PAPER_HOSTS, dot + 1):
            return True
        dot = host_path.find(".", dot + 1, 40)
    return False


# A label that introduces the paper's title: `Title:`, `**Paper:**`, `論文:`, `논문 제목:`, `Name of the thesis:`.
TITLE_FIELD = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?\s*(?:paper\s*title|title|paper|original\s+paper|name\s+of\s+the\s+(?:thesis|paper)"
    r"|(?:読んだ|紹介する|今回の|今回読んだ|対象の?|元)?論文(?:タイトル|名|題目)?|(?:읽은|소개할|리뷰할)\s*논문|タイトル|原題|原論文|対象論文|紹介論文|제목|논문(?:\s*제목|\s*이름)?|원문|원제)\s*(?:\*\*|__)?"
    r"\s*[:：]\s*(?:\*\*|__)?\s*(?P<title>\S.*)$",
    re.IGNORECASE,
)
# A heading that is only such a label: the title is on the next line.
_TITLE_HEADING = re.compile(
    r"^(?:paper\s*title|title|paper|論文(?:タイトル|名)?|タイトル|제목|논문(?:\s*제목)?)\s*[:：]?$", re.IGNORECASE
)
_REF_HEADING = re.compile(
    r"^(?:\d+[.)]?\s*)?(?:references?|bibliography|citations?|cited\s+(?:papers|works)|related\s+papers?|acm\s+refs?"
    r"|refs?|further\s+reading|reading\s+list|参考文献|参考論文|参考資料|参考|引用(?:文献)?|文献|関連論文|読んだ論文"
    r"|참고\s*문헌|참고\s*논문|참고\s*자료|참고|레퍼런스|인용)\s*[:：]?$",
    re.IGNORECASE,
)
# A short label that announces a list of papers: `次に読むべき論文は?`, `関連論文:`, `Papers`, `읽을 논문`.
_PAPERS_LABEL = re.compile(r"^[^\n]{0,20}(?:論文|논문|papers|references)[^\n]{0,12}$", re.IGNORECASE)
# A line that opens a reading list: `今週読んだ論文`, `이번 주에 본 논문들.`, `Papers I read this week`.
_READING_INTRO = re.compile(r"^[^\n]{0,24}(?:読んだ論文|본 논문|읽은 논문|papers I read|reading list)[^\n]{0,12}$",
                            re.IGNORECASE)
_READING_INTRO_MAX = 24 + len("papers I read") + 12  # the longest line it matches


def _is_reading_intro(line: str) -> bool:
    return len(line) <= _READING_INTRO_MAX and _READING_INTRO.match(line) is not None


# The questions of a paper-summary template (落合 format) and their Korean counterparts.
_SUMMARY_TEMPLATE = re.compile(
    r"^(?:[-*]\s*)?(?:どんなもの|先行研究と比べて|技術や手法のキモ|どうやって有効|議論はある|次に読むべき|概要|要約"
    r"|어떤 것인가"
    r"|어떤 논문|선행 연구|요약|summary|tl;?dr)"
)
# A column of a table that holds titles, by its header.
_TITLE_COLUMN = re.compile(
    r"^(?:論文(?:名|タイトル)?|논문(?:\s*제목)?|タイトル|제목|title|paper(?:\s*title)?)$", re.IGNORECASE
)
# Hatena Blog's link notation: `[https://arxiv.org/abs/2106.09685:title=LoRA: ...]`.
_HATENA_TITLE_LINK = re.compile(r"\[(https?://[^\s\[\]]+?):title=([^\[\]]+)\]")
# `[1708.04896] Title`, `[arXiv 1902.09859] Title`, `(arXiv:2004.10934) Title`.
_ID_TITLE = re.compile(
    r"\[\s*(?:arxiv\s*[:：]?\s*)?(?P<id>\d{4}\.\d{4,5})(?:v\d+)?\s*\][ \t]*(?P<title>[^\[\]()\n]{6,})", re.IGNORECASE
)
_CITE_MARKER = re.compile(r"^\s*\[\s*\d{1,4}\s*\]\s*[:.]?\s*\S")
_REF_MARKER = re.compile(r"^\s*(?:\[\s*\d{1,4}\s*\]|\(\d{1,4}\)|\d{1,4}[.)])\s*\S")
_QUOTED = re.compile(r"[\"“]([^\"“”\n]{8,250})[\"”]|『([^』\n]{8,250})』|「([A-Za-z][^」\n]{7,250})」")
_PAPER_CUE = re.compile(
    r"論文|논문|paper|arxiv|et al|propos|提案|著者|저자|研究|연구|published|conference|journal|学会|proceedings",
    re.IGNORECASE,
)
# A line that is only a URL: bare, `<…>`, or Hatena's `[URL]`, `[URL:title]`, `[URL:embed:cite]`.
_URL_ONLY = re.compile(r"^\s*[<\[]?(https?://[^\s\]>]+?)(?::(?:title|embed|cite)(?::[\w:]*)?)?[>\]]?\s*$")


def find_candidates(doc: Document, title: str | None = None) -> list[Candidate]:
    """Every candidate of the post, in source order; the reviewed-title candidate (the post's `title`, else the
    document's) first."""
    try:
        return _find(doc, title)
    finally:  # the memos hold this post's strings: free them with it
        _arxiv_in.cache_clear()
        _reference.cache_clear()


def _find(doc: Document, title: str | None) -> list[Candidate]:
    out: list[Candidate] = []
    title = title or _post_title(doc)
    if title:
        out.append(Candidate(title, "reviewed", -1, block=title, notes={"from": doc.front.kind}))
    in_refs = False
    label_depth: int | None = None  # the depth of a `次に読むべき論文は?` item whose sub-items list papers
    title_column: int | None = None  # the cell index of a table's title column
    blocks = doc.blocks
    for index, block in enumerate(blocks):
        text = block.text.strip()
        if block.kind == "table_row":
            if index == 0 or blocks[index - 1].kind != "table_row":
                title_column = next((i for i, cell in enumerate(block.cells)
                                     if _TITLE_COLUMN.match("".join(s.text for s in cell).strip())), None)
                continue
            if title_column is not None and title_column < len(block.cells):
                out.append(_table_title(block, title_column))
        if block.kind == "heading":
            in_refs = bool(_REF_HEADING.match(text.strip("*#: "))) or _is_papers_label(text)
            label_depth = None
            out.extend(_heading(block, blocks, index))
            continue
        if block.kind in {"paragraph", "html"} and _REF_HEADING.match(text.strip("*#: ")):
            in_refs = True  # a `**References**` line opens a reference list as a heading does
            continue
        if block.kind == "math":
            continue
        if block.kind == "code":
            out.extend(_code(block))
            continue
        listed = label_depth is not None and block.kind == "item" and block.depth > label_depth
        if label_depth is not None and not listed and block.kind in {"item", "paragraph", "quote"}:
            label_depth = None
        if block.kind == "item" and _is_papers_label(text):
            label_depth = block.depth
            continue
        nxt = blocks[index + 1] if index + 1 < len(blocks) else None
        # An item whose sub-items are the references is a topic label over them (`- Pose detector` / `  - A, B. …`).
        label = (block.kind == "item" and nxt is not None and nxt.kind == "item" and nxt.depth > block.depth
                 and (_reference(nxt.text) is not None or any(is_paper_url(s.url) for s in nxt.links)))
        _prose(out, blocks, index, (in_refs or listed) and not label)
    out.extend(_listed(doc))
    _pair_fields(doc, out)
    out.extend(_ids(doc))
    return out


# A field that gives the paper's link: `URL: https://arxiv.org/abs/…`, `- **arXiv:** …`, `링크: …`.
_LINK_FIELD = re.compile(
    r"^\s*(?:\*\*|__)?\s*(?:url|links?|arxiv|paper|pdf|論文|リンク|링크|원문|주소)\s*(?:\*\*|__)?\s*[:：]",
    re.IGNORECASE,
)
_FIELD_REACH = 6  # a field group spans a few lines: the link field follows the title field within this many


def _pair_fields(doc: Document, candidates: list[Candidate]) -> None:
    """A `Title:` field takes the arXiv ID of the link field of its group (`- Title: …` / `- URL: …`)."""
    fields = [c for c in candidates if c.evidence == "title-field" and c.arxiv_id is None]
    if not fields:
        return
    links: list[tuple[int, str]] = []
    for block in doc.blocks:
        if block.kind in {"code", "math"}:
            continue
        for k, line in enumerate(_split_lines(block.spans)):
            if _LINK_FIELD.match(_line_text(line)):
                ids = _span_ids(line)
                if ids:
                    links.append((block.line + k, ids[0]))
    for c in fields:
        at_line = c.pos // LINE_STRIDE
        c.arxiv_id = next((aid for at, aid in links if at_line < at <= at_line + _FIELD_REACH), None)


def _table_title(block: Block, column: int) -> Candidate:
    cell = block.cells[column]
    ids = _span_ids(block.spans)
    links = [s for s in cell if s.kind == "link" and not generic_link_text(s.text)]
    text = links[0].text if links else "".join(s.text for s in cell)
    ref = _reference(text)
    return Candidate(ref.title if ref else text, "table-title", _pos(block, 10), ref=ref, block=block.text,
                     arxiv_id=ids[0] if len(ids) == 1 else None)


_DEEP_HEADING = 3  # a post titled only by an H3 or deeper heading has no title that names its paper


def _post_title(doc: Document) -> str | None:
    """The document's title where it can name the reviewed paper: not a sub-section heading."""
    if doc.front.title:
        return doc.front.title
    first = next((b for b in doc.blocks if b.kind == "heading" and b.text.strip()), None)
    if first is None or (first.level >= _DEEP_HEADING and not any(b.kind == "heading" and b.level == 1
                                                                    for b in doc.blocks)):
        return None
    return doc.title


def _is_papers_label(text: str) -> bool:
    """`次に読むべき論文は?`, `関連論文:`: a short question or label about papers, whose list follows."""
    text = text.strip().strip("*_ ")
    return bool(_PAPERS_LABEL.match(text)) and ("?" in text or text.endswith((":", "：")))


# A sentence that announces the paper on the next line: `以下の論文を参考にしている`, `다음 논문을 확장했다`.
_ANNOUNCE_JA_KO = r"(?:以下|下記|次|こちら)の論文|(?:다음|아래)(?:의)?\s*논문"
_ANNOUNCE = re.compile(_ANNOUNCE_JA_KO + "|the following paper", re.IGNORECASE)
# `_ANNOUNCE` in two parts, as `_may_announce` tests it: the ja/ko phrases (no case to fold, so no re.IGNORECASE
# to slow the scan), and the English one.
_ANNOUNCE_CJK = re.compile(_ANNOUNCE_JA_KO)
_ANNOUNCE_EN = re.compile(r"the following paper", re.IGNORECASE)


def _may_announce(text: str) -> bool:
    """Whether `_ANNOUNCE` can match in `text`: each part behind a substring test, which costs a fraction of a
    scan (no character but ASCII `paper` lower-cases to `paper`, so the case-insensitive part is covered)."""
    return ((("の論文" in text or "논문" in text) and _ANNOUNCE_CJK.search(text) is not None)
            or ("paper" in text.lower() and _ANNOUNCE_EN.search(text) is not None))


def _announced(block: Block, blocks: tuple[Block, ...], index: int) -> Iterator[Candidate]:
    """The title on the line after a sentence that announces it (in the same block or the next one)."""
    lines = block.lines()
    for k, line in enumerate(lines):
        if not _ANNOUNCE.search(line):
            continue
        if k + 1 < len(lines):
            nxt_line, where = lines[k + 1], block
        elif index + 1 < len(blocks) and blocks[index + 1].kind not in {"heading", "code", "math"}:
            where = blocks[index + 1]
            nxt_line = where.lines()[0] if where.kind != "item" or where.depth else where.text
            nxt_line = join_lines(where.lines()) if len(where.lines()) <= 3 else nxt_line
        else:
            continue
        title = strip_author_prefix(nxt_line.strip())
        yield Candidate(title, "announced", _pos(where, 650), block=nxt_line)


# `Richard S. Sutton, David McAllester, 1999` / `Silver, D., Lever, G. (2014).`: an author line with its year.
_TRAILING_YEAR_NOTE = re.compile(r"[\s,.]*\(?(?:19|20)\d\d\)?[\s.]*$")


def _over_authors(block: Block, blocks: tuple[Block, ...], index: int) -> Iterator[Candidate]:
    """A reference split over lines: a title line, then the author line (`저자/연도: A, B (2020)` or bare), then
    (maybe) the paper's link; within one block or over consecutive blocks."""
    lines = block.lines()
    nxt = blocks[index + 1] if index + 1 < len(blocks) else None
    for k, raw_title in enumerate(lines):
        title = _LEAD_SYMBOLS.sub("", raw_title).strip().strip("[]")
        if not title or _CJK_ANY.search(title) or _META_FIELD.match(title):
            continue  # (most lines: the line under them is not read)
        author_block: Block | None = None
        if k + 1 < len(lines):
            raw_authors = lines[k + 1]
        elif nxt is not None and nxt.kind in {"paragraph", "item", "quote"}:
            raw_authors, author_block = nxt.text.split("\n", 1)[0], nxt
        else:
            continue
        authors_text = _FIELD_LABEL.sub("", raw_authors.strip(), count=1)
        year_m = _TRAILING_YEAR_NOTE.search(authors_text)
        authors = names(authors_text[: year_m.start()]) if year_m else None
        if not authors:
            continue
        after = blocks[index + (2 if author_block is not None else 1)] \
            if index + (2 if author_block is not None else 1) < len(blocks) else None
        near = [*(after.links if after is not None else []), *(author_block or block).links]
        links = [s for s in near if is_paper_url(s.url) and generic_link_text(s.text)]
        ids = [m.arxiv_id for s in links for m in _arxiv_in(s.url)]
        year_digits = re.search(r"(?:19|20)\d\d", year_m.group(0)) if year_m else None
        year = int(year_digits.group(0)) if year_digits else None
        ref = Reference(title, tuple(authors), None, year, "split")
        yield Candidate(title, "reference", _pos(block, 900 + k), ref=ref, block=f"{raw_title}\n{raw_authors}",
                        arxiv_id=ids[0] if len(set(ids)) == 1 else None)


# Emoji and bullets a reading list puts before a title (`📜 Denoising Diffusion …`).
_LEAD_SYMBOLS = re.compile(r"^[^\w\[(\"“'‘]+")
# A metadata field of a post's paper box, never a title line: `Authors: …`, `Venue: …`.
_META_FIELD = re.compile(
    r"^(?:authors?|venue|year|date|published|conference|journal|affiliations?|institution|code|github|url|links?"
    r"|keywords?|tags?|category|categories)\s*[:：]",
    re.IGNORECASE,
)
# A field label before a value: `저자/연도:`, `Authors:`, `著者:`.
_FIELD_LABEL = re.compile(r"^[^:：]{1,16}[:：]\s*")


def _summary_header(block: Block, nxt: Block) -> Iterator[Candidate]:
    """The title line a paper-summary template hangs from: `> *Title*` over `> - どんなもの?` (`nxt`)."""
    if block.kind == "item" or not _SUMMARY_TEMPLATE.search(nxt.text.split("\n", 1)[0]):
        return
    last = block.lines()[-1].strip()
    if last:
        yield Candidate(last, "summary-header", _pos(block, 600), block=block.text)


def _beside_bare_link(block: Block, blocks: tuple[Block, ...], index: int) -> Iterator[Candidate]:
    """A block that is only a paper URL pairs with the title line just before it, else just after it (a list
    item's first sub-item, or the next paragraph)."""
    m = _URL_ONLY.match(block.text)
    if m is None or not is_paper_url(m.group(1)):
        return
    ids = [x.arxiv_id for x in _arxiv_in(m.group(1))]
    prev = blocks[index - 1] if index and block.kind != "item" else None
    nxt = blocks[index + 1] if index + 1 < len(blocks) else None
    for other, line in ((prev, -1), (nxt, 0)):
        if other is None or other.kind in {"code", "math"} or _URL_ONLY.match(other.text):
            continue
        if other.kind == "heading" and other is nxt:
            continue  # the next section's heading belongs to what follows it
        text = _ETAL_PAREN.sub("", other.lines()[line].strip())
        if text and not _CJK_ANY.search(text):
            yield Candidate(text, "title-line", _pos(other, 700), arxiv_id=ids[0] if ids else None, block=other.text,
                            heading=other.kind == "heading")
            return


# `(Zhuang Liu 외)`, `(山田 他)`, `(Smith et al.)`: an author note after a title.
_ETAL_PAREN = re.compile(r"\s*\([^()]{1,80}(?:\s|^)(?:외|等|他|ほか|ら|et al\.?)\s*\)\s*$")


def _listed(doc: Document) -> Iterator[Candidate]:
    """A reading list: Latin title lines, each followed by a comment in ja/ko (or starting in lower case); a title
    wrapped over two lines is joined. The judge accepts them when the post has enough of them, or opens the list
    with a line such as `今週読んだ論文`."""
    intro: bool | None = None  # whether a line opens the list: read once a title line is found
    for block in doc.blocks:
        if block.kind not in {"paragraph", "html"}:
            continue
        lines = [line.strip() for line in block.lines()]
        for k, raw_line in enumerate(lines):
            line = raw_line
            if (not line or _CJK_ANY.search(line) or not line[:1].isalnum() or line[:1].islower()
                    or line.count(",") > 2 or line.endswith(("-", ".")) or _REF_MARKER.match(line)):
                continue
            nxt = lines[k + 1] if k + 1 < len(lines) else None
            after = lines[k + 2] if k + 2 < len(lines) else None
            prev = lines[k - 1] if k else None
            if nxt and after and not _CJK_ANY.search(nxt) and nxt[:1].islower() and len(nxt) < 40 \
                    and _CJK_ANY.search(after):
                line, nxt = f"{line} {nxt}", after  # a title wrapped over two lines
            comment_after = nxt is not None and (bool(_CJK_ANY.search(nxt)) or nxt[:1].islower())
            last_after_comment = nxt is None and prev is not None and bool(_CJK_ANY.search(prev))
            if comment_after or last_after_comment:
                if intro is None:
                    intro = any(_is_reading_intro(b.lines()[0].strip()) for b in doc.blocks
                                if b.kind in {"paragraph", "heading"})
                yield Candidate(line, "listed-title", _pos(block, 800 + k), block=block.text,
                                notes={"intro": "1"} if intro else {})


def _pos(block: Block, order: int = 0) -> int:
    return block.line * LINE_STRIDE + order


def _heading(block: Block, blocks: tuple[Block, ...], index: int) -> Iterator[Candidate]:
    """A heading names a paper only as `## Title` over the title line, or with an ID (`## [1708.04896] Title`)."""
    text = block.text.strip()
    if _TITLE_HEADING.match(text) and index + 1 < len(blocks) and blocks[index + 1].kind != "heading":
        nxt = blocks[index + 1]
        after = blocks[index + 2] if index + 2 < len(blocks) else None
        if nxt.kind == "item" and after is not None and after.kind == "item" and after.depth == nxt.depth:
            return  # `## 論文` over a list: several papers, each an entry of its own
        first = nxt.lines()[0] if nxt.text.strip() else ""
        if first:
            yield Candidate(first, "title-field", _pos(nxt), block=nxt.text)
        return
    for m in _ID_TITLE.finditer(text):
        yield Candidate(m.group("title"), "id-title", _pos(block, m.start()), arxiv_id=_one_id(m.group("id")),
                        block=text, heading=True)
    # A text dump flattens `### Title-field ### Summary` sections into one line: each part may be a reference.
    for k, part in enumerate(_FLATTENED.split(text)):
        ref = _reference(part) if len(part) >= 20 else None
        if ref is not None:
            yield Candidate(ref.title, "reference", _pos(block, 50 + k), ref=ref, block=part, heading=True,
                            arxiv_id=_first_id(part))
    for k, span in enumerate(block.links):
        if is_paper_url(span.url):
            yield _link_candidate(span, block, k, heading=True)
    field_id = _link_field_below(blocks, index)
    if field_id is not None:
        yield Candidate(text, "title-line", _pos(block, 60), arxiv_id=field_id, block=text, heading=True)


_FLATTENED = re.compile(r"\s#{1,6}\s")


_FIELD_BOX = 4  # how many blocks under a heading its paper box (`논문 | <url>`, `- URL: …`) may span
_LINK_LABEL = re.compile(r"^\s*(?:url|links?|arxiv|paper|pdf|論文|リンク|링크|원문|논문)\s*$", re.IGNORECASE)


def _link_field_below(blocks: tuple[Block, ...], index: int) -> str | None:
    """The arXiv ID of a link field just under a heading: a `논문 | <url>` table row or a `URL: …` line."""
    for block in blocks[index + 1 : index + 1 + _FIELD_BOX]:
        if block.kind == "heading":
            return None
        if block.kind == "table_row" and len(block.cells) >= 2 and _LINK_LABEL.match(_line_text(block.cells[0])):
            ids = _span_ids(block.cells[1])
        elif block.kind in {"paragraph", "item"} and _LINK_FIELD.match(block.text):
            ids = _span_ids(block.spans)
        else:
            continue
        if ids:
            return ids[0]
    return None


# Every arXiv mention has an anchor word (`arxiv`, `ar5iv`, `alphaxiv`, `huggingface`, `10.48550`, `eprint`: tested
# one by one in `_may_hold_id`) or `archive/YYMMNNN`: text without one is not scanned.
_OLD_ID_HINT = re.compile(r"/\d{7}")


@cache  # per document: find_candidates clears it; the rules scan each span several times
def _arxiv_in(text: str) -> tuple[IdMatch, ...]:
    """`iter_arxiv_ids(text)`, skipped where no mention can be."""
    return tuple(iter_arxiv_ids(text)) if _may_hold_id(text) else ()


def _may_hold_id(text: str) -> bool:
    """Whether `text` has an anchor of an arXiv mention (so does any text it holds: no character but ASCII
    lower-cases to the ASCII of an anchor word)."""
    low = text.lower()
    return ("arxiv" in low or "ar5iv" in low or "alphaxiv" in low or "huggingface" in low or "10.48550" in low
            or "eprint" in low or ("/" in text and _OLD_ID_HINT.search(text) is not None))


# A post's blocks are read as references by several rules (a block on its own, its lines, a neighbour's label):
# one parse per string and document; find_candidates clears it.
_reference = cache(parse_reference)


def _one_id(text: str) -> str | None:
    found = _arxiv_in(f"arXiv:{text}")
    return found[0].arxiv_id if found else None


def _code(block: Block) -> Iterator[Candidate]:
    """Reference strings and BibTeX entries kept in code blocks (`ACM Refs` in a fence, a `@inproceedings`)."""
    body = block.text
    if "@" in body and re.search(r"@\w+\s*\{", body):
        for k, entry in enumerate(re.split(r"\n(?=\s*@\w+\s*\{)", body)):
            ref = _reference(entry)
            if ref is not None:
                yield Candidate(ref.title, "reference", _pos(block, k), ref=ref, block=entry,
                                arxiv_id=_first_id(entry))
        return
    for k, chunk in enumerate(re.split(r"\n\s*\n", body)):
        lines = chunk.split("\n")
        if len(lines) > 12:
            continue
        ref = _reference(join_lines(lines))
        if ref is not None:
            yield Candidate(ref.title, "reference", _pos(block, k), ref=ref, block=chunk, arxiv_id=_first_id(chunk))


def _first_id(text: str) -> str | None:
    found = _arxiv_in(text)
    return found[0].arxiv_id if found else None


def _span_ids(spans: tuple[Span, ...]) -> list[str]:
    """arXiv IDs of a run of spans: in link URLs and in the text."""
    ids: list[str] = []
    for s in spans:
        if s.kind == "link":
            ids += [m.arxiv_id for m in _arxiv_in(s.url)]
        if s.kind in {"text", "link", "code"}:
            ids += [m.arxiv_id for m in _arxiv_in(s.text)]
    return list(dict.fromkeys(ids))


def _split_lines(spans: tuple[Span, ...]) -> list[tuple[Span, ...]]:
    lines: list[list[Span]] = [[]]
    for s in spans:
        if s.kind == "break":
            lines.append([])
        else:
            lines[-1].append(s)
    return [tuple(line) for line in lines]


def _line_text(spans: tuple[Span, ...]) -> str:
    return "".join(s.text for s in spans if s.kind != "image")


def _prose(out: list[Candidate], blocks: tuple[Block, ...], index: int, in_refs: bool) -> None:
    """Every candidate of one prose block (paragraph, list item, quote, table row, HTML text), appended to `out`.

    Each rule runs only where its block has what every one of its candidates needs (a colon, a bracket, a link or
    URL, an arXiv anchor, a quote mark, a year at a line's end): tested once here, a plain sentence costs a few
    substring tests instead of every rule's scan. Each test is a necessary condition of its rule, so a rule run
    without it finds nothing more (`tests/papers/test_scan_shortcuts.py` runs every rule on every block).
    """
    block = blocks[index]
    nxt = blocks[index + 1] if index + 1 < len(blocks) else None
    text = block.text
    links = block.links
    lines = _split_lines(block.spans)
    texts = [_line_text(line) for line in lines]
    if ":" in text or "：" in text:
        out.extend(_title_fields(block, lines, texts))
    out.extend(_references(block, lines, texts, in_refs))
    if links or ":title=" in text:
        out.extend(_paper_links(block))
    if "[" in text:
        out.extend(_id_titles(block))
    if links or "http" in text or _may_hold_id(text):
        out.extend(_title_lines(block, lines, texts))
    if '"' in text or "“" in text or "『" in text or "「" in text:
        out.extend(_quoted(block))
    if nxt is not None:
        out.extend(_summary_header(block, nxt))
    if _may_have_author_line(block, nxt):
        out.extend(_over_authors(block, blocks, index))
    if _may_announce(text):
        out.extend(_announced(block, blocks, index))
    if "http" in text:
        out.extend(_beside_bare_link(block, blocks, index))


def _may_have_author_line(block: Block, nxt: Block | None) -> bool:
    """Whether `_over_authors` has a line to read as authors, one that ends in a year: a line of the block after
    its first, or the next block's first line."""
    if nxt is not None and nxt.kind in {"paragraph", "item", "quote"} and _ends_in_year(nxt.text.split("\n", 1)[0]):
        return True
    return "\n" in block.text and any(_ends_in_year(line) for line in block.lines()[1:])


def _ends_in_year(line: str) -> bool:
    """Whether `line` ends as an author line's `_TRAILING_YEAR_NOTE` needs: a year, then a `)` at most, then spaces
    and periods (the field label `_over_authors` cuts is a prefix, and the year note an ending, of the line)."""
    end = line.rstrip()
    while end.endswith("."):
        end = end[:-1].rstrip()
    end = end.removesuffix(")")
    return len(end) >= 4 and end[-4:-2] in {"19", "20"} and end[-2:].isdecimal()


def _only_id(ids: list[str]) -> str | None:
    return ids[0] if len(ids) == 1 else None


def _title_fields(block: Block, lines: list[tuple[Span, ...]], texts: list[str]) -> Iterator[Candidate]:
    """`Title: …` on any line; a link on the line that holds most of the title gives its text."""
    for k, (line, line_text) in enumerate(zip(lines, texts, strict=True)):
        m = TITLE_FIELD.match(line_text) if ":" in line_text or "：" in line_text else None  # the label's colon
        if m:
            links = [s for s in line if s.kind == "link" and s.text.strip()]
            title = links[0].text if links and len(links[0].text) >= 0.6 * len(m.group("title")) else m.group("title")
            yield Candidate(title, "title-field", _pos(block, k), arxiv_id=_only_id(_span_ids(line)), block=line_text)


def _reference_units(block: Block, lines: list[tuple[Span, ...]],
                     texts: list[str]) -> list[tuple[int, str, tuple[Span, ...]]]:
    """The block cut into reference strings: one per marked line (`[3] …`) with its continuation lines, else the
    whole block."""
    if block.kind == "table_row":  # each cell on its own: a row joins a title to its neighbours' words
        return [(0, _line_text(cell), cell) for cell in block.cells if cell]
    marked = [k for k, t in enumerate(texts) if _REF_MARKER.match(t)]
    if not (len(marked) >= 2 or (marked and marked[0] == 0 and len(lines) > 1 and block.kind != "item")):
        return [(0, join_lines(texts), block.spans)]
    starts = [*marked, len(lines)]
    if starts[0] != 0:
        starts.insert(0, 0)
    return [(a, join_lines(texts[a:b]), tuple(s for line in lines[a:b] for s in line))
            for a, b in itertools.pairwise(starts)]


def _references(block: Block, lines: list[tuple[Span, ...]], texts: list[str], in_refs: bool) -> Iterator[Candidate]:
    """Parsed reference strings; in a reference list, its lines even when they do not parse."""
    units = _reference_units(block, lines, texts)
    for k, unit, spans in units:
        ref = _reference(unit) if len(unit) >= 20 else None
        if ref is None and len(units) == 1 and len(lines) > 1:
            by_line = [(j, r) for j, t in enumerate(texts) if (r := _reference(t)) is not None]
            for j, line_ref in by_line:
                yield Candidate(line_ref.title, "reference", _pos(block, j), ref=line_ref, block=texts[j],
                                arxiv_id=_only_id(_span_ids(lines[j])))
            if by_line:
                continue
        if ref is not None:
            yield Candidate(ref.title, "reference", _pos(block, k), ref=ref, block=unit,
                            arxiv_id=_only_id(_span_ids(spans)))
        elif (in_refs and len(units) == 1 and len(lines) > 1
              and block.kind in {"item", "paragraph", "quote"}):
            # A reference list written one entry per line, none of them a full reference string.
            for j, line in enumerate(lines):
                yield from _list_entry(block, j, texts[j], line)
        elif (in_refs or _CITE_MARKER.match(unit)) and block.kind in {"item", "paragraph", "table_row", "quote"}:
            links = [s for s in spans if s.kind == "link"]
            plain = _strip_marker(_line_text(tuple(s for s in spans if s.kind != "link" or s.text)))
            title = links[0].text if links and not generic_link_text(links[0].text) else plain
            # A line that is only a link to a product or project page needs more words to pass for a title.
            bare = len(links) == 1 and title == links[0].text and not is_paper_url(links[0].url) \
                and _strip_marker(plain).strip() in {"", title}
            yield Candidate(title, "reference-list", _pos(block, k), block=unit, arxiv_id=_only_id(_span_ids(spans)),
                            notes={"bare-link": "1"} if bare else {})


def _list_entry(block: Block, k: int, unit: str, spans: tuple[Span, ...]) -> Iterator[Candidate]:
    links = [s for s in spans if s.kind == "link"]
    plain = _strip_marker(_line_text(tuple(s for s in spans if s.kind != "link" or s.text)))
    title = links[0].text if links and not generic_link_text(links[0].text) else plain
    yield Candidate(title, "reference-list", _pos(block, k), block=unit, arxiv_id=_only_id(_span_ids(spans)))


def _paper_links(block: Block) -> Iterator[Candidate]:
    """Links to paper hosts, links in a `[3] …` reference line, and Hatena's `[URL:title=Title]` notation."""
    text = block.text
    for k, span in enumerate(block.links):
        if is_paper_url(span.url) or (_CITE_MARKER.match(text) and not span.url.startswith("#")
                                      and not generic_link_text(span.text)):
            yield _link_candidate(span, block, k)
        elif (not span.url.startswith("#") and len(span.text.split()) >= _LINK_LIST_WORDS
              and len(span.text) >= 0.6 * len(text.strip())):
            # A line that is one long link: a reference string, or an entry of a list of papers linked to their
            # reviews if the post has enough of them (the judge counts).
            ref = _reference(span.text)
            if ref is not None:
                yield Candidate(ref.title, "reference", _pos(block, 400 + k), ref=ref, block=text,
                                notes={"url": span.url})
            else:
                yield Candidate(span.text, "link-list", _pos(block, 400 + k), block=text, notes={"url": span.url})
    if ":title=" in text:
        for m in _HATENA_TITLE_LINK.finditer(text):
            if is_paper_url(m.group(1)):
                ids = [x.arxiv_id for x in _arxiv_in(m.group(1))]
                yield Candidate(m.group(2), "link", _pos(block, 450 + m.start()), arxiv_id=ids[0] if ids else None,
                                block=text, notes={"url": m.group(1)})


_LINK_LIST_WORDS = 4


def _id_titles(block: Block) -> Iterator[Candidate]:
    """`[1708.04896] Title` anywhere in prose."""
    for m in _ID_TITLE.finditer(block.text):
        yield Candidate(m.group("title"), "id-title", _pos(block, 100 + m.start()), arxiv_id=_one_id(m.group("id")),
                        block=block.text)


def _title_lines(block: Block, lines: list[tuple[Span, ...]], texts: list[str]) -> Iterator[Candidate]:
    """A title beside a bare paper link: `Title` over `https://arxiv.org/abs/…`, `Title [arXiv](…)`, or
    `… Title(https://arxiv.org/abs/…)` inside a sentence: the Latin run just before the link."""
    for k, line in enumerate(lines):
        before: list[str] = []
        found = False
        for span in line:
            url = ""
            arxiv_id: str | None = None
            if span.kind == "link" and is_paper_url(span.url) and generic_link_text(span.text):
                url = span.url
            elif span.kind == "text":
                # A paper URL in the text, or an `arXiv:ID` mention (`Title (arXiv:1412.6980)`), whichever is first.
                at_url = next((m for m in _URL_IN_TEXT.finditer(span.text) if is_paper_url(m.group(0))), None) \
                    if "http" in span.text else None
                at_id = next(iter(_arxiv_in(span.text)), None) if at_url is None else None
                if at_url is not None:
                    before.append(span.text[: at_url.start()])
                    url = at_url.group(0)
                elif at_id is not None:
                    before.append(span.text[: at_id.start])
                    url, arxiv_id = f"arXiv:{at_id.arxiv_id}", at_id.arxiv_id
            if url:
                found = True
                if arxiv_id is None:
                    arxiv_id = _first_id(url)
                yield from _run_candidate("".join(before), arxiv_id, block, 200 + k, texts[k])
                before = []
            elif span.kind in {"text", "code", "link"}:
                before.append(span.text)
        bare = _URL_ONLY.match(texts[k + 1]) if k + 1 < len(lines) else None
        if not found and bare and is_paper_url(bare.group(1)):
            yield from _run_candidate(texts[k], _first_id(bare.group(1)), block, 200 + k, texts[k])


def _quoted(block: Block) -> Iterator[Candidate]:
    """Quoted titles in prose that speaks of papers (not in a table row, whose cells are no sentence)."""
    text = block.text
    if block.kind != "table_row" and _PAPER_CUE.search(text):
        for m in _QUOTED.finditer(text):
            quoted = next(g for g in m.groups() if g)
            yield Candidate(quoted, "quoted", _pos(block, 300 + m.start()), block=text)


_URL_IN_TEXT = re.compile(r"https?://[^\s<>()\[\]]+")
# Where the run of Latin text that ends before a link starts: after the last CJK character, bracket or sentence end.
_RUN_STOP = re.compile(
    r"(?s:.*)(?:[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af。、「」『』【】()（）]|[.!?](?:\s|$))"
)


def _run_candidate(text: str, arxiv_id: str | None, block: Block, order: int, line: str) -> Iterator[Candidate]:
    """The run of Latin text that ends `text` (before a paper link whose ID, if any, is `arxiv_id`)."""
    text = text.rstrip(" (（[<:：-–—|")
    m = _RUN_STOP.match(text)
    run = _strip_marker(text[m.end():] if m else text).strip(" -–—:：|,([")
    if run and not _URL_ONLY.match(run):
        yield Candidate(run, "title-line", _pos(block, order), arxiv_id=arxiv_id, block=line)


_MARKER = re.compile(r"^\s*(?:\[\s*\d{1,4}\s*\]|\(\d{1,4}\)|\d{1,4}[.)])\s*[.:]?\s*")


def _strip_marker(text: str) -> str:
    return _MARKER.sub("", text, count=1).strip()


_GENERIC_WORDS = wordset(
    "arxiv paper papers pdf link here this code github project page website site abs html web homepage "
    "openreview 論文 こちら ここ リンク 원문 논문 링크 여기 코드 source official demo blog video slides slide poster "
    "supplementary supp bibtex doi original implementation reddit twitter review summary notes note full "
    "text fulltext download preprint version proceedings acm ieee springer url 原文 原論文 本文"
)


_LOWER_LETTER = re.compile("[a-z]")
_LINK_WORD = re.compile(r"[\w']+")
_PUBLISHERS = wordset(
    "springer elsevier ieee acm arxiv openreview cvf pmlr neurips nips sciencedirect wiley"
)


def generic_link_text(text: str) -> bool:
    """Link texts that say nothing of a title: `arXiv`, `[paper]`, `original paper (pdf)`, a URL, an ID."""
    t = text.strip(" []()*_`\"'").lower()
    if not t or t.startswith(("http", "www.", "arxiv:", "arxiv.org", "doi:")) \
            or not _LOWER_LETTER.search(t.replace("arxiv", "")):
        return True
    ws = _LINK_WORD.findall(t)
    if len(ws) <= 4 and ws[0] in _PUBLISHERS:
        return True  # `Springer (Autonomous Robots)`, `IEEE Xplore`: where, not what
    return len(ws) <= 4 and sum(w in _GENERIC_WORDS for w in ws) >= max(1, len(ws) - 1)


def _link_candidate(span: Span, block: Block, k: int, heading: bool = False) -> Candidate:
    ids = [m.arxiv_id for m in _arxiv_in(span.url)] or [m.arxiv_id for m in _arxiv_in(span.text)]
    ref = _reference(span.text)
    text = ref.title if ref is not None else span.text
    m = _ID_TITLE.match(text.strip())
    if m:
        text = m.group("title")
    return Candidate(text, "link", _pos(block, 400 + k), arxiv_id=ids[0] if ids else None, ref=ref,
                     block=block.text, heading=heading, notes={"url": span.url})


def _ids(doc: Document) -> Iterator[Candidate]:
    """Every arXiv ID of the post: front matter, prose, link URLs and code (code holds BibTeX citations)."""
    if doc.front.text:
        for m in _arxiv_in(doc.front.text):
            yield Candidate(None, "id", -1, arxiv_id=m.arxiv_id, notes={"front": "1", "plain": "1"})
    for block in doc.blocks:
        k = 0
        # Each span's text is part of the block's: where the block has no arXiv anchor, only link URLs are read.
        anchored = _may_hold_id(block.text)
        for span in block.spans:
            if span.kind == "image" or not (anchored or span.kind == "link"):
                continue
            link = span.kind == "link"
            sources = (span.url, span.text) if link and anchored else (span.url,) if link else (span.text,)
            plain: str | None = None
            for source in sources:
                for m in _arxiv_in(source) if source else ():
                    if plain is None:
                        # An ID behind a bare URL or a link saying only `paper` / `arXiv` can be the post's own
                        # paper link.
                        plain = "1" if not link or generic_link_text(span.text) else ""
                    yield Candidate(None, "id", _pos(block, 500 + k), arxiv_id=m.arxiv_id, notes={"plain": plain})
                    k += 1
        for cell in block.cells if block.kind == "table_row" and not block.spans else ():
            for span in cell:
                for m in _arxiv_in(span.url or span.text):
                    yield Candidate(None, "id", _pos(block, 500 + k), arxiv_id=m.arxiv_id)
                    k += 1
