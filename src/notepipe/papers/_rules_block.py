"""Title rules that read the layout: lone title lines, URL lines, lists, fields, headings, tables."""

from __future__ import annotations

import re
from collections.abc import Sequence

from notepipe.papers._arxiv import IdMatch, iter_arxiv_ids
from notepipe.papers._bib import Meta, parse_authors, parse_bib_entry, parse_venue, trailing_meta
from notepipe.papers._doc import CJK_RE, Doc, Line
from notepipe.papers._link import LINE_STRIDE, Mention
from notepipe.papers._runs import split_trailing_paren
from notepipe.papers._titles import (
    HIGH,
    MEDIUM,
    STRONG,
    accept,
    is_generic_link_text,
    title_score,
    words,
)

_READING_RE = re.compile(
    r"次に読む|読むべき論文|関連論文|関連研究|参考文献|参考論文|参照論文|引用文献|読んだ論文"
    r"|紹介(?:する|した)論文|論文(?:一覧|リスト)"
    r"|참고\s*(?:문헌|논문|자료)|관련\s*(?:논문|연구)|다음에?\s*읽을|읽을\s*(?:만한\s*)?논문"
    r"|논문\s*목록|읽은\s*논문"
    r"|^(?:references?|bibliography|related (?:papers|work)|further reading|reading list|papers?(?: to read)?"
    r"|see also|citations?)\s*[:：]?$",
    re.IGNORECASE,
)
# `Label:` up to the value, which is the rest of the line without its trailing white space.
_FIELD_RE = re.compile(r"^[*_]{0,2}(?P<label>[^:：*_]{1,24}?)[*_]{0,2}\s*[:：]\s*[*_]{0,2}\s*")
# Field labels by kind, tried in this order (the first kind whose alternatives match the whole label wins).
_FIELD_KINDS = (
    ("title", r"(?:paper )?title|paper|論文名|論文タイトル|タイトル|論文|原論文|題目|제목|논문(?: ?제목|명)?"),
    ("authors", r"authors?|author\(s\)|著者|저자"),
    ("venue", r"venue|conference|journal|published(?: in| at)?|会議|学会|掲載|採択|발표|학회|게재|출처"),
    ("year", r"year|年|発表年|연도|발표 연도"),
    ("link", r"link|url|arxiv|paper link|pdf|論文リンク|リンク|원문|링크|논문 링크"),
)
_FIELD_KIND_RE = re.compile("^(?:" + "|".join(f"(?P<{kind}>{alt})$" for kind, alt in _FIELD_KINDS) + ")", re.I)
# Nothing but these is left of a URL line once its ID is cut out (one junk character or word at a time).
_URL_LINE_JUNK_RE = re.compile(r"(?:[\s\[\]()<>:：|*_-]|(?i:arxiv|paper|pdf|link|url|abs|論文|リンク|논문|링크))*")
_CONNECTOR_END_RE = re.compile(r"(?:\b(?:of|for|and|with|in|on|the|a|an|to|via|from|by|towards?)|[:,\-])$", re.I)
_BIB_LEAD_RE = re.compile(r"^(?:\[\^?\w{1,4}\]:?|\d{1,3}[.)])\s*")
_ID_PAREN_RE = re.compile(r"[(（]\s*[)）]|\[\s*\]")
_YEAR_HINT_RE = re.compile(r"(?:19|20)\d\d")
# A reading-list item's title ends at ` - `, ` : ` (and dashes), or at a colon before non-ASCII text.
_DASH_CUT_RE = re.compile(r"\s[-–—:]\s")
_TABLE_SEP_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_TABLE_TITLE_RE = re.compile(r"^(?:title|paper|papers|論文|タイトル|論文名|논문|제목|논문명)$", re.I)
_DENSE_THRESHOLD = 3.0
_REVIEW_WORDS_RE = re.compile(
    r"論文(?:紹介|解説|まとめ|メモ|読み)|(?:の|を)?(?:解説|紹介|まとめ|読んだ|読む|読み解く|メモ)"
    r"|논문\s*(?:리뷰|정리|요약|읽기)|(?:을|를)?\s*(?:리뷰|정리|요약|읽기|읽고)|(?:paper )?review|summary",
    re.IGNORECASE,
)
_FRONT_LABEL_RE = re.compile(r"【[^】]*】|\[[^\]]*\]|「[^」]*」")


def _pos(i: int) -> int:
    return i * LINE_STRIDE


def _next_text(lines: list[Line], i: int, step: int, limit: int = 3) -> int | None:
    """Index of the nearest non-blank line from i in direction `step`, within `limit` lines."""
    j = i + step
    while 0 <= j < len(lines) and abs(j - i) <= limit:
        if not lines[j].blank:
            return j
        j += step
    return None


def _is_url_line(line: Line) -> bool:
    """A line that holds one arXiv link and nothing else (`https://arxiv.org/abs/ID`, `[arXiv](...)`)."""
    if len({m.arxiv_id for m in line.ids}) != 1:
        return False
    return _URL_LINE_JUNK_RE.fullmatch(_strip_ids(line.text, line.text_ids)) is not None


def _title_line(line: Line, threshold: float, min_words: int = 2) -> tuple[str, Meta] | None:
    """A whole line as a title, with a trailing `(Authors)` or `(Venue Year)` split off."""
    if line.blank or line.heading or line.ids:
        return None
    title, paren = split_trailing_paren(line.text)
    if CJK_RE.search(title):
        return None
    t = accept(title, threshold, min_words)
    return (t, trailing_meta(paren) if paren else Meta()) if t else None


def url_neighbours(doc: Doc) -> list[Mention]:
    """An arXiv URL line with the title on the line after it (or before it: the post's majority decides)."""
    lines = doc.lines
    url_lines = [i for i in dict.fromkeys(doc.id_lines) if _is_url_line(lines[i])]  # the lines with IDs, in order
    sides: dict[int, dict[int, tuple[str, Meta, int]]] = {1: {}, -1: {}}
    for i in url_lines:
        for step in (1, -1):
            j = _next_text(lines, i, step)
            hit = _title_line(lines[j], STRONG) if j is not None else None
            if hit and j is not None:
                sides[step][i] = (hit[0], hit[1], j)
    order = (1, -1) if len(sides[1]) >= len(sides[-1]) else (-1, 1)
    out: list[Mention] = []
    used: set[int] = set()
    for i in url_lines:
        for step in order:
            hit = sides[step].get(i)
            if hit and hit[2] not in used:
                used.add(hit[2])
                out.append(Mention(_pos(min(i, hit[2])), hit[0], lines[i].ids[0].arxiv_id, hit[1], "url-line"))
                break
    return out


def standalone(doc: Doc) -> list[Mention]:
    """A title alone on its line, followed by a ja/ko comment line (title-comment-title-comment layouts)."""
    lines = doc.lines
    out: list[Mention] = []
    for i in doc.filled:
        line = lines[i]
        if line.heading or line.ids or (line.cjk and not line.text.endswith(")")):
            continue
        nxt = _next_text(lines, i, 1, limit=2)
        if nxt is None:
            continue
        prev = _next_text(lines, i, -1, limit=2)
        after_comment = prev is None or lines[prev].cjk or bool(lines[prev].ids)
        text = line.text
        threshold = MEDIUM - (0.5 if after_comment else 0.0)
        if not lines[nxt].cjk:
            after = _next_text(lines, nxt, 1, limit=2)
            joinable = _CONNECTOR_END_RE.search(text) or lines[nxt].text[:1].islower()
            if nxt == i + 1 and after is not None and lines[after].cjk and joinable and not lines[nxt].ids:
                text = f"{text} {lines[nxt].text}"  # a title wrapped over two lines
            elif after_comment and prev == i - 1 and nxt == i + 1:
                threshold = _DENSE_THRESHOLD  # comment, title, English comment: only clear titles
            else:
                continue
        hit = _title_line(Line(text=text), threshold, min_words=3)
        if hit:
            out.append(Mention(_pos(i), hit[0], None, hit[1], "standalone"))
    return out


def _strip_ids(text: str, ids: Sequence[IdMatch]) -> str:
    """`text` without the ID mentions `ids` (found in `text`, in order, not overlapping)."""
    if not ids:
        return text
    ends = [0] + [m.end for m in ids]  # one join, not a copy of the line per ID
    return "".join(text[a : m.start] for a, m in zip(ends, ids, strict=False)) + text[ids[-1].end :]


def _list_children(lines: list[Line], i: int) -> list[int]:
    """Lines listed under the reading-list header at i: deeper list items, or the list after a heading."""
    head = lines[i]
    out: list[int] = []
    for j in range(i + 1, min(len(lines), i + 80)):
        ln = lines[j]
        if ln.blank:
            continue
        if ln.heading or (head.indent >= 0 and (ln.indent <= head.indent or ln.quote != head.quote)):
            break
        if ln.indent >= 0 or _BIB_LEAD_RE.match(ln.text):
            out.append(j)
        elif out or head.indent >= 0:
            break
    return out


def reading_lists(doc: Doc) -> list[Mention]:
    """Items under `次に読むべき論文は?`, `参考文献`, `References`, `관련 논문` headers."""
    lines = doc.lines
    out: list[Mention] = []
    for i in doc.filled:
        line = lines[i]
        if len(line.text) > 40 or not _READING_RE.search(line.text.strip("*_#: ")):
            continue
        for j in _list_children(lines, i):
            text = _BIB_LEAD_RE.sub("", lines[j].text)
            if '"' in text or "“" in text or "](" in text:
                continue  # the quote and link rules read these
            if lines[j].ids and not _YEAR_HINT_RE.search(text):
                ids = lines[j].text_ids if text == lines[j].text else iter_arxiv_ids(text)
                text = _ID_PAREN_RE.sub("", _strip_ids(text, ids)).strip()  # `Group Normalization (arXiv:1803.08494)`
            bib = parse_bib_entry(text)
            if bib:
                title = accept(bib.title, STRONG)
                meta = bib.meta
            else:
                head = CJK_RE.split(text, maxsplit=1)[0]
                head = head[: _title_cut(head)]
                t, paren = split_trailing_paren(head)
                title, meta = accept(t, 0.5), trailing_meta(paren) if paren else Meta()
            if title:
                aid = lines[j].ids[0].arxiv_id if len(lines[j].ids) == 1 else None
                out.append(Mention(_pos(j), title, aid, meta, "reading-list"))
    return out


def _title_cut(text: str) -> int:
    r"""Where `re.split(r"\s[-–—:]\s|\s*[:：]\s*(?=\S*[^\x00-\x7f])", text)[0]` ends, in one pass: the regex's
    look-ahead re-read the rest of a word for every colon in it (quadratic on a long run of colons)."""
    ahead = [False] * (len(text) + 1)  # ahead[q]: `(?=\S*[^\x00-\x7f])` holds at q
    for q in range(len(text) - 1, -1, -1):
        ch = text[q]
        ahead[q] = ch >= "\x80" or (not ch.isspace() and ahead[q + 1])
    dash = _DASH_CUT_RE.search(text)
    cut = dash.start() if dash else len(text)
    for c, ch in enumerate(text):
        if ch not in ":：":
            continue
        start = c  # the match starts where the white space before the colon does
        while start > 0 and text[start - 1].isspace():
            start -= 1
        if start >= cut:
            break
        e = c + 1
        while e < len(text) and text[e].isspace():
            e += 1
        if any(ahead[c + 1 : e + 1]):  # `\s*` may stop short: a non-ASCII space satisfies the look-ahead
            return start
    return cut


def _field(text: str) -> tuple[str, str] | None:
    """The kind and value of a `Label: value` line."""
    m = _FIELD_RE.match(text)
    if not m:
        return None
    kind = _FIELD_KIND_RE.match(m.group("label").strip())
    return (kind.lastgroup, text[m.end() :].rstrip()) if kind and kind.lastgroup else None


def fields(doc: Doc) -> list[Mention]:
    """`- **Title:** ...` / `タイトル: ...` / `제목: ...` blocks, with Authors/Venue/Year fields and the block's ID."""
    lines = doc.lines
    out: list[Mention] = []
    every = [(j, f) for j in doc.filled if (":" in (t := lines[j].text) or "：" in t) and (f := _field(t))]
    n = 0
    while n < len(every):  # the blocks (runs of non-blank lines) that hold a field, in order
        i = j = every[n][0]
        while i > 0 and not lines[i - 1].blank:
            i -= 1
        while j < len(lines) and not lines[j].blank:
            j += 1
        first = n
        while n < len(every) and every[n][0] < j:
            n += 1
        found = every[first:n]
        titles = [(k, v) for k, (kind, v) in found if kind == "title"]
        if len(titles) == 1:
            k, value = titles[0]
            out.extend(_field_block(lines[i:j], k, value, found))
    return out


def _field_block(block: list[Line], k: int, value: str, found: list[tuple[int, tuple[str, str]]]) -> list[Mention]:
    """One paper from a block of `Label: value` lines; the title field's line is k."""
    if '"' in value or "“" in value:
        return []  # the quote rule reads it
    link = re.match(r"^\[([^\]]+)\]\(([^)]+)\)", value)
    if link and is_generic_link_text(link.group(1)):
        value = ""
    meta = Meta()
    for _, (kind, v) in found:
        if kind == "authors":
            meta.authors = parse_authors(v) or [a.strip() for a in re.split(r",|、|;", v) if a.strip()]
        elif kind == "venue":
            pv = parse_venue(v)
            meta.venue, meta.year = pv.venue or (v.strip(" *_") or None), meta.year or pv.year
        elif kind == "year":
            meta.year = parse_venue(v).year or meta.year
    ids = {m.arxiv_id for ln in block for m in ln.ids}
    link_ids = {m.arxiv_id for _, (kind, v) in found if kind == "link" for m in iter_arxiv_ids(v)}
    title = accept(split_trailing_paren(value)[0], STRONG) if value else None
    aid = next(iter(ids)) if len(ids) == 1 else (next(iter(link_ids)) if len(link_ids) == 1 else None)
    return [Mention(_pos(k), title, aid, meta, "field")] if title else []


def headings(doc: Doc) -> list[Mention]:
    """English headings that name a paper: H1/setext over `===` readily, deeper ones only when clearly titles."""
    lines = doc.lines
    out: list[Mention] = []
    for i, line in enumerate(lines):
        if not line.heading or line.cjk or "](" in line.text or '"' in line.text:
            continue
        near = [m for ln in lines[i : i + 4] for m in ln.ids]
        level_one = line.heading == 1
        threshold = MEDIUM if (level_one or near) else HIGH
        title = accept(split_trailing_paren(line.text)[0], threshold, min_words=2 if level_one or near else 3)
        if title:
            aid = near[0].arxiv_id if len({m.arxiv_id for m in near}) == 1 else None
            out.append(Mention(_pos(i), title, aid, parse_venue(line.text), "heading"))
    return out


def front_matter(doc: Doc) -> list[Mention]:
    """YAML `title:` of a post about one paper; bracket labels like 【論文紹介】 are dropped."""
    if not doc.front_title:
        return []
    text = _REVIEW_WORDS_RE.sub(" ", _FRONT_LABEL_RE.sub(" ", doc.front_title))
    if CJK_RE.search(text):
        return []  # a post title that only names a model ("ViT와 Swin Transformer 비교"), not a paper title
    title = accept(text, MEDIUM)
    return [Mention(-1, title, None, Meta(), "front-matter")] if title else []


def _cells(text: str) -> list[str]:
    return [c.strip() for c in text.strip().strip("|").split("|")]


def tables(doc: Doc) -> list[Mention]:
    """Markdown tables: the Title/論文 column, or the most title-like cell of a row that links an arXiv paper."""
    lines = doc.lines
    out: list[Mention] = []
    col: int | None = None
    for i, line in enumerate(lines):
        if not line.text.startswith("|") or line.text.count("|") < 2:
            col = None
            continue
        if _TABLE_SEP_RE.match(line.text):
            head = _cells(lines[i - 1].text) if i else []
            col = next((c for c, h in enumerate(head) if _TABLE_TITLE_RE.match(h.strip("*_ "))), None)
            continue
        cells = _cells(line.text)
        cand: str | None = None
        if col is not None and col < len(cells):
            cand = accept(cells[col], STRONG)
        elif line.ids:
            scored = [(title_score(c), c) for c in (accept(x, MEDIUM) for x in cells) if c]
            cand = max(scored)[1] if scored else None
        if cand:
            aid = line.ids[0].arxiv_id if len({m.arxiv_id for m in line.ids}) == 1 else None
            out.append(Mention(_pos(i), cand, aid, parse_venue(line.text.replace(cand, " ")), "table"))
    return out


def bib_entries(doc: Doc) -> list[Mention]:
    """Unquoted bibliography lines anywhere: `A. Vaswani, N. Shazeer, ... Title. arXiv:1706.03762, 2017.`."""
    out: list[Mention] = []
    for i in doc.filled:
        line = doc.lines[i]
        text = line.text
        if len(text) < 30 or "," not in text or not _YEAR_HINT_RE.search(text) or '"' in text:
            continue
        bib = parse_bib_entry(_BIB_LEAD_RE.sub("", text))
        title = accept(bib.title, STRONG) if bib else None
        if bib and title and len(words(title)) >= 2:
            aid = line.ids[0].arxiv_id if len({m.arxiv_id for m in line.ids}) == 1 else None
            out.append(Mention(_pos(i), title, aid, bib.meta, "bib"))
    return out


def block_rules(doc: Doc) -> list[Mention]:
    """Run every layout rule over the document."""
    out: list[Mention] = []
    for rule in (url_neighbours, standalone, reading_lists, fields, headings, front_matter, tables, bib_entries):
        out += rule(doc)
    return out
