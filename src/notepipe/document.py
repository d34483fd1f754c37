"""One parse of a post's markdown into a `Document`: typed blocks of inline spans with their source lines.

Every consumer (cleaning, segments, tokens, paper mentions) reads the same `Document`, so they agree on what
is a heading, a list item, a code block or a link. The grammar is CommonMark (markdown-it-py) with the
extensions real review posts use: tables, strikethrough, `$$` math, `:::` colon fences, footnotes and
definition lists. Before parsing, the dialects blog engines process ahead of markdown are resolved: front
matter (YAML `---`, TOML `+++`), a Pandoc title block (`% Title`), Jekyll Liquid and Hugo shortcodes.
MyST directives whose body is markdown (`{admonition}`, `{note}`, `{figure-md}`, ...) are parsed as markdown.
Raw HTML is read through lxml, never left as tags.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import yaml
from markdown_it import MarkdownIt
from markdown_it.common.utils import mdTrim
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from notepipe._unicode import nfkc as _nfkc

__all__ = ["Block", "Document", "FrontMatter", "Span", "heading_text", "parse", "split_front_matter"]

SpanKind = Literal["text", "link", "image", "code", "math", "break"]
BlockKind = Literal["heading", "paragraph", "item", "quote", "table_row", "code", "math", "html"]


@dataclass(frozen=True, slots=True)
class Span:
    """A run of inline content: plain text, a link's text and URL, an image's alt text, a code span, inline
    math, or a line break inside a paragraph (`text` is then `\\n`)."""

    kind: SpanKind
    text: str
    url: str = ""
    display: bool = False  # math written `$$ … $$` inside a line (not a block of its own)


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the post, in source order.

    `kind`: `heading` (with `level`), `paragraph`, `item` (the first paragraph of a list item; `depth` is its
    nesting, 1 for a top-level item; later paragraphs of the item are `paragraph` with the same depth), `quote`
    (a paragraph inside a block quote; `quote` is the depth, also set on headings and items inside quotes),
    `table_row` (`cells` holds each cell's spans), `code` (verbatim, `info` is the fence's info string), `math`
    (a display formula, verbatim) and `html` (text read out of an HTML block that was not a paragraph).
    `line` and `end` are the 0-based source lines it spans (`end` exclusive). `marker` is an ordered item's
    number as written (`3.`), so a renderer can keep it.
    """

    kind: BlockKind
    spans: tuple[Span, ...]
    line: int
    end: int
    level: int = 0
    depth: int = 0
    quote: int = 0
    info: str = ""
    ordered: bool = False
    cells: tuple[tuple[Span, ...], ...] = ()
    marker: str = ""  # an ordered item's number and delimiter as written (`3.`, `4)`); empty otherwise
    # `text`, joined on first use: the paper rules read it about ten times per block.
    _text: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def text(self) -> str:
        """The block as plain text: link texts and image alts without URLs, line breaks as `\\n`."""
        text = self._text
        if text is None:
            text = "".join(s.text for s in self.spans)
            object.__setattr__(self, "_text", text)
        return text

    def lines(self) -> list[str]:
        """The block's plain text split at its line breaks."""
        return self.text.split("\n")

    @property
    def links(self) -> list[Span]:
        """The link spans of the block."""
        return [s for s in self.spans if s.kind == "link"]


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """Metadata a post declares ahead of its body: YAML or TOML front matter, or a Pandoc title block."""

    fields: dict[str, Any] = field(default_factory=dict)
    text: str | None = None  # the front matter as written, delimiters included
    kind: Literal["yaml", "toml", "pandoc", "none"] = "none"

    @property
    def title(self) -> str | None:
        """The declared title, stripped; None when there is none."""
        value = self.fields.get("title")
        if isinstance(value, list):
            value = " ".join(str(v) for v in value)
        text = str(value).strip() if value is not None else ""
        return text or None

    @property
    def date(self) -> str | None:
        """The declared publication date as written (`date`, `published`, `created_at`)."""
        for key in ("date", "published", "created_at", "pubDate"):
            value = self.fields.get(key)
            if value is not None and str(value).strip():
                return str(value).strip()
        return None


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed post: its front matter and its blocks in source order."""

    blocks: tuple[Block, ...]
    front: FrontMatter = field(default_factory=FrontMatter)

    @property
    def title(self) -> str | None:
        """The post's own title: front matter, else the Pandoc title block, else the first H1, else the first
        heading of any level (never a list item, a tag line or a breadcrumb)."""
        if self.front.title:
            return self.front.title
        headings = [b for b in self.blocks if b.kind == "heading" and heading_text(b)]
        first_h1 = next((b for b in headings if b.level == 1), None)
        pick = first_h1 or (headings[0] if headings else None)
        return heading_text(pick) if pick is not None else None

    def prose(self) -> Iterator[Block]:
        """Every block that is not code, math or a table separator."""
        return (b for b in self.blocks if b.kind not in {"code", "math"})


def _one_line(text: str) -> str:
    return " ".join(text.split())


def heading_text(block: Block) -> str | None:
    """A heading (or any block) as a one-line title: link texts (a link without text: its URL), image alts,
    code spans; None when nothing is left."""
    text = _one_line("".join(s.text or s.url if s.kind == "link" else s.text for s in block.spans))
    return text or None


# ---------------------------------------------------------------------------------------------------------------
# Front matter and title blocks


_YAML_OPEN = "---"
_TOML_OPEN = "+++"
_NON_SPACE = re.compile(r"\S")  # (`\s` in a str pattern is `str.isspace`, what `str.strip` strips)
_KEY_VALUE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def split_front_matter(text: str) -> tuple[FrontMatter, str]:
    """The front matter of a markdown file and its body, with the front matter's lines kept as blank lines.

    Lenient as blog engines are: a byte order mark or blank lines may come first; YAML closes with `---` or
    `...`; TOML sits between `+++` lines; YAML that does not parse (an unquoted colon in a title, as Jekyll users
    write) falls back to its `key: value` lines. A Pandoc title block (`% Title`, `% Author`, `% Date` as the
    first lines) is read as the title, author and date.
    """
    text = text.lstrip("\ufeff")
    # Most posts have none: look at the first line that is not blank before splitting the whole text.
    visible = _NON_SPACE.search(text)
    if visible is None:
        return FrontMatter(), text
    start = text.rfind("\n", 0, visible.start()) + 1
    stop = text.find("\n", start)
    head = text[start:] if stop < 0 else text[start:stop]
    if head[:1] != "%" and head.rstrip() not in {_YAML_OPEN, _TOML_OPEN}:
        return FrontMatter(), text
    lines = text.split("\n")
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first >= len(lines):
        return FrontMatter(), text
    opener = lines[first].rstrip()
    if opener in {_YAML_OPEN, _TOML_OPEN}:
        closers = {_YAML_OPEN, "..."} if opener == _YAML_OPEN else {_TOML_OPEN}
        end = next((i for i in range(first + 1, len(lines)) if lines[i].rstrip() in closers), None)
        if end is not None:
            inner = "\n".join(lines[first + 1 : end])
            fields = _toml_fields(inner) if opener == _TOML_OPEN else _yaml_fields(inner)
            if fields is not None:
                kind: Literal["yaml", "toml"] = "toml" if opener == _TOML_OPEN else "yaml"
                front = FrontMatter(fields, "\n".join(lines[first : end + 1]), kind)
                return front, "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    if lines[first].startswith("%"):
        return _pandoc(lines, first)
    return FrontMatter(), text


def _yaml_fields(inner: str) -> dict[str, Any] | None:
    """YAML front matter as a mapping; `key: value` lines when the YAML does not parse; None if neither."""
    from notepipe.formats import _yaml  # (here: the formats package reads documents, so it imports this module)

    try:
        loaded = _yaml.safe_load(inner)
    except yaml.YAMLError:
        loaded = None
    if isinstance(loaded, dict):
        return {str(k): v for k, v in loaded.items()}
    pairs = [m for line in inner.split("\n") if (m := _KEY_VALUE.match(line))]
    if not pairs or len(pairs) * 2 < sum(1 for line in inner.split("\n") if line.strip() and line[:1] not in " \t-#"):
        return None
    return {m.group(1): _unquote(m.group(2)) for m in pairs}


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _toml_fields(inner: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(inner)
    except tomllib.TOMLDecodeError:
        return None


def _pandoc(lines: list[str], first: int) -> tuple[FrontMatter, str]:
    """A Pandoc title block: up to three `%` lines (title, authors, date); continuation lines start with a space."""
    values: list[str] = []
    i = first
    while i < len(lines) and len(values) < 3 and lines[i].startswith("%"):
        value = lines[i][1:].strip()
        i += 1
        while i < len(lines) and lines[i][:1] == " " and lines[i].strip() and not values:
            value += " " + lines[i].strip()
            i += 1
        values.append(value)
    names = ("title", "author", "date")
    fields = {name: value for name, value in zip(names, values, strict=False) if value}
    return FrontMatter(fields, "\n".join(lines[first:i]), "pandoc"), "\n" * i + "\n".join(lines[i:])


# ---------------------------------------------------------------------------------------------------------------
# Dialects resolved before parsing


# Jekyll Liquid (`{{ site.baseurl }}`, `{% include x.html %}`) and Hugo shortcodes (`{{< figure >}}`,
# `{{% note %}}`): the engine replaces them before markdown is read, so they are never the author's text. A
# fenced code block keeps them: in a post no engine processes (Qiita, Zenn), `{{ message }}` there is Vue or Jinja
# code, and a Jekyll author who shows Liquid wraps it in `{% raw %}` anyway.
_RAW_BLOCK = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_COMMENT_BLOCK = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", re.DOTALL)
# Jekyll's own code block syntax, `{% highlight python %}` … `{% endhighlight %}`: read as a fence.
_HIGHLIGHT = re.compile(r"^[ \t]*\{%-?\s*highlight\s+([\w+#.-]+)[^%\n]*%\}[ \t]*$", re.MULTILINE)
_END_HIGHLIGHT = re.compile(r"^[ \t]*\{%-?\s*endhighlight\s*-?%\}[ \t]*$", re.MULTILINE)
_LIQUID = re.compile(r"\{\{[<%]?-?\s[^{}\n]*?\s-?[>%]?\}\}|\{\{[<%][^{}\n]*?[>%]\}\}|\{%-?\s[^%\n]*?\s-?%\}")
_LIQUID_HINT = re.compile(r"\{\{[\s<%-]|\{%[\s-]")
_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _resolve_liquid(text: str) -> str:
    """Remove Liquid tags, Liquid comments and Hugo shortcodes outside fenced code; keep `{% raw %}` bodies
    verbatim; read `{% highlight %}` blocks as fenced code. Line count is unchanged."""
    if not _LIQUID_HINT.search(text):
        return text
    raws: list[str] = []

    def keep_raw(m: re.Match[str]) -> str:
        raws.append(m.group(1))
        return f"\x00{len(raws) - 1}\x00"

    text = _RAW_BLOCK.sub(keep_raw, text)
    if "comment" in text:
        text = _COMMENT_BLOCK.sub(lambda m: "\n" * m.group().count("\n"), text)
    if "highlight" in text:
        text = _END_HIGHLIGHT.sub("```", _HIGHLIGHT.sub(r"```\1", text))
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        m = _FENCE_LINE.match(line) if "```" in line or "~~~" in line else None
        if fence is None:
            if m is None:
                prose.append(line)
                continue
            if prose:
                out.append(_LIQUID.sub("", "\n".join(prose)))
                prose = []
            fence = m.group(1)
            out.append(line)
        else:
            out.append(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and line.strip() == m.group(1):
                fence = None
    if prose:
        out.append(_LIQUID.sub("", "\n".join(prose)))
    text = "\n".join(out)
    return re.sub("\x00(\\d+)\x00", lambda m: raws[int(m.group(1))], text) if raws else text


# ---------------------------------------------------------------------------------------------------------------
# The parser


def _keep_url(url: str) -> str:
    """A link's destination as the author wrote it (escapes and entities resolved): markdown-it would
    percent-encode it for an `href`, which turns `https://ja.wikipedia.org/wiki/注意` into `%E6%B3%A8...`."""
    return url


def _tight_heading(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Qiita's `###見出し`: a heading with no space (or an ideographic one) after its marks, which Qiita renders
    and CommonMark does not. Only before a character that is not ASCII, so `#hashtag`, `#include` and `#!/bin/sh`
    stay prose. A block rule (tried after fences and indented code), so a `#コメント` line in code stays as written."""
    if state.is_code_block(start):
        return False
    pos = state.bMarks[start] + state.tShift[start]
    maximum = state.eMarks[start]
    src = state.src
    if pos >= maximum or src[pos] != "#":
        return False
    level = 0
    while pos < maximum and src[pos] == "#" and level <= 6:
        level += 1
        pos += 1
    if level > 6 or pos >= maximum or (src[pos] != "\u3000" and (src[pos].isspace() or src[pos].isascii())):
        return False
    if silent:
        return True
    content = src[pos:maximum].strip()
    content = re.sub(r"[ \t]+#+$", "", content)  # a closing `###` run, as ATX headings allow
    state.line = start + 1
    token = state.push("heading_open", f"h{level}", 1)
    token.markup = "#" * level
    token.map = [start, state.line]
    token = state.push("inline", "", 0)
    token.content = content
    token.map = [start, state.line]
    token.children = []
    token = state.push("heading_close", f"h{level}", -1)
    token.markup = "#" * level
    return True


# What a block other than a paragraph can start with, once a line's indentation is skipped.
_BLOCK_STARTS = frozenset("#>-*+_=0123456789`~<|$:\\[")


def _plain_paragraph(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A top-level paragraph whose lines all start as no other block can (not with a marker, digit or `<`),
    followed by a blank line or the end: the commonest block of a post, taken before the other rules are tried
    one by one at its start and on each of its lines. Otherwise (a line that might start a block or end this
    one, a `: definition` after it) the rules decide as they always do."""
    if silent or state.parentType != "root" or state.blkIndent or state.sCount[start] >= 4:
        return False
    src, b_marks, t_shift, e_marks, s_count = state.src, state.bMarks, state.tShift, state.eMarks, state.sCount
    line = start
    last = state.lineMax
    while line < last:
        pos = b_marks[line] + t_shift[line]
        if pos >= e_marks[line]:
            break  # a blank line ends the paragraph
        if (s_count[line] < 4 or line == start) and src[pos] in _BLOCK_STARTS:
            return False  # (a line indented as code continues a paragraph, whatever it starts with)
        line += 1
    after = line + 1  # (a definition list allows one blank line between its term and its `: definition`)
    if after < last and b_marks[after] + t_shift[after] < e_marks[after] \
            and src[b_marks[after] + t_shift[after]] in ":~":
        return False
    state.line = line
    token = state.push("paragraph_open", "p", 1)
    token.map = [start, line]
    token = state.push("inline", "", 0)
    token.content = mdTrim(src[b_marks[start] : e_marks[line - 1]])
    token.map = [start, line]
    token.children = []
    state.push("paragraph_close", "p", -1)
    return True


def _bracket_math(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Display math written `\\[ ... \\]` (MathJax's default delimiters, common on Qiita and Hatena): from a line
    that opens with `\\[` to the line that ends with `\\]`. Unclosed, it is not math (an escaped `[`)."""
    if state.is_code_block(start):
        return False
    pos = state.bMarks[start] + state.tShift[start]
    src = state.src
    if not src.startswith("\\[", pos):
        return False
    line = start
    while line < end:
        if line > start and state.sCount[line] < state.blkIndent and state.isEmpty(line):
            return False  # a blank line ends the attempt (as `$$` math does not, but `\\[` is often prose)
        last = src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]].rstrip()
        if last.endswith("\\]") and (line > start or len(last) >= 4):
            break
        line += 1
    else:
        return False
    if silent:
        return True
    body = src[pos + 2 : state.eMarks[line]].rstrip()[:-2]
    state.line = line + 1
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = body.strip("\n")
    token.markup = "\\["
    token.map = [start, state.line]
    return True


# The characters at which an enabled inline rule can start (`~~`, `![` and `^[` start with one of these too,
# or need one after them); inline content without any is text and line breaks only.
_INLINE_MARKUP = re.compile(r"[$\\`*_\[<&]|~~")
# Its characters alone: a pattern that opens with a character class is scanned for at C speed, one that opens with
# an alternative is tried as a match at every position (several times slower over content that holds none).
_INLINE_MARKUP_CHARS = re.compile(r"[$\\`*_\[<&~]")


def _inline_core(state: StateCore) -> None:
    """markdown-it's core `inline` rule, except that content in which no inline rule can match is not run through
    the inline parser (most lines of Japanese and Korean prose): `_spans` splits it at its line breaks as the
    `newline` rule would. Its token is marked `meta["plain"]`, with no children."""
    md = state.md
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if _INLINE_MARKUP_CHARS.search(token.content) and _INLINE_MARKUP.search(token.content):
                md.inline.parse(token.content, md, state.env, token.children)
            else:
                token.meta["plain"] = True


def _markdown_it() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True)
    md.use(colon_fence_plugin)
    md.use(footnote_plugin)
    md.use(deflist_plugin)
    md.block.ruler.before("table", "plain_paragraph", _plain_paragraph)
    md.block.ruler.before("heading", "tight_heading", _tight_heading,
                          {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.before("fence", "bracket_math", _bracket_math,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.normalizeLink = _keep_url  # type: ignore[method-assign]
    md.core.ruler.at("inline", _inline_core)
    return md


_MD = _markdown_it()

# markdown-it-py is pure Python and tries every enabled block rule at every block start, and each rule that can
# end a paragraph on every paragraph line: a rule is left out of a parse when a text it needs to match is absent
# from the document, which cannot change the tokens. Each set of rules left out has its own parser. (Inline
# rules are tried only at their own marks, and rules that need a line of some shape cost more to rule out by a
# search than they cost to try: measured, neither is worth it.)
_BLOCK_NEEDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("table", ("|",)), ("math_block", ("$$",)), ("colon_fence", (":::",)), ("bracket_math", ("\\[",)),
    ("fence", ("```", "~~~")), ("blockquote", (">",)), ("footnote_def", ("[^",)), ("reference", ("]:",)),
    ("html_block", ("<",)), ("tight_heading", ("#",)), ("heading", ("#",)),
    ("code", ("    ", "\t")),  # an indented code block needs four columns of indentation somewhere
)


# Core rules that only rewrite carriage returns and NUL characters (`normalize`: `_parse` has turned line ends into
# `\n` already), tokens of escapes and entities (`text_join`) or of footnotes (`footnote_tail`).
_CORE_NEEDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("normalize", ("\r", "\0")), ("text_join", ("\\", "&")), ("footnote_tail", ("[^", "^[")),
)


_NEEDS = tuple((name, needs[0], needs[1] if len(needs) > 1 else needs[0]) for name, needs in _BLOCK_NEEDS + _CORE_NEEDS)


def _parser_for(body: str) -> MarkdownIt:
    """The parser with only the block and core rules that can match somewhere in `body`."""
    found: dict[str, bool] = {}  # (some texts are needed by two rules: each is looked for once)
    unused = []
    for name, first, second in _NEEDS:  # (every rule needs one or two texts)
        for needle in (first, second):
            if (hit := found.get(needle)) is None:
                # A text's first character is looked for first: a character is ruled out several times faster than
                # a longer text, and most documents lack `$`, `^`, `~` or `\\`.
                hit = found[needle] = needle[0] in body and (len(needle) == 1 or needle in body)
            if hit:
                break
        else:
            unused.append(name)
    return _parser_without(tuple(unused))


@lru_cache(maxsize=256)
def _parser_without(unused: tuple[str, ...]) -> MarkdownIt:
    md = _markdown_it()
    if unused:
        md.disable(list(unused))
    return md

# MyST directives whose body is verbatim (code, math); every other directive's body is markdown.
_CODE_DIRECTIVES = frozenset({"code", "code-block", "code-cell", "sourcecode", "literalinclude", "raw", "csv-table"})
_MATH_DIRECTIVES = frozenset({"math"})
_DIRECTIVE = re.compile(r"^\{([\w:-]+)\}\s*(.*)$")
_OPTION = re.compile(r"^:[\w-]+:.*$")
_MAX_NESTING = 8  # HTML blocks and directive bodies are parsed again; a pathological nesting stops here


def parse(markdown: str) -> Document:
    """Parse a post's markdown (front matter included) into a `Document`. Never raises on any text."""
    return _parse(markdown)


def release_parses() -> None:
    """Let go of the kept parses (see `_parse`): the pipeline calls it once it has read a post's `Document`, so
    a long post's blocks are not held while its record is built and written."""
    _parse.cache_clear()


# An extractor reads a post's title from the same parse the pipeline then cleans: the last few are kept. A
# `Document` is immutable, so sharing one is safe.
@lru_cache(maxsize=4)
def _parse(markdown: str) -> Document:
    markdown = markdown.replace("\r\n", "\n").replace("\r", "\n")
    front, body = split_front_matter(markdown)
    return Document(tuple(_parse_body(body, 0)), front)


# Python-Markdown / MkDocs admonitions: `!!! note "Title"` (or `???` collapsible) over a 4-space-indented body.
_ADMONITION = re.compile(r"^(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+\"([^\"\n]*)\")?[ \t]*$")


def _resolve_admonitions(text: str) -> str:
    """Admonition bodies as plain markdown (dedented), the header replaced by its title; line count unchanged."""
    if "!!!" not in text and "???" not in text:
        return text
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = _ADMONITION.match(lines[i])
        if not m:
            i += 1
            continue
        lines[i] = m.group(1) or ""
        i += 1
        while i < len(lines) and (lines[i].startswith(("    ", "\t")) or not lines[i].strip()):
            if not lines[i].strip() and not (i + 1 < len(lines) and lines[i + 1].startswith(("    ", "\t"))):
                break
            lines[i] = lines[i][4:] if lines[i].startswith("    ") else lines[i][1:]
            i += 1
    return "\n".join(lines)


def _parse_body(body: str, offset: int, nesting: int = 0) -> list[Block]:
    body = _resolve_liquid(body)
    body = _resolve_admonitions(body)
    if nesting == 0 and len(body) > LONG_BODY:
        return _parse_long(body, offset)
    tokens = _parser_for(body).parse(body)
    return list(_Builder(offset, nesting).build(tokens))


# A post longer than LONG_BODY characters is parsed a group of top-level blocks (about GROUP_CHARS characters) at a
# time: the token stream of a whole post is about 16 times its size, the peak memory of a long input.
LONG_BODY = 300_000
GROUP_CHARS = 100_000


def _parse_long(body: str, offset: int) -> list[Block]:
    """The blocks `md.parse(body)` would give, without holding the tokens of the whole post at once.

    It is markdown-it's own parse, run in another order. The block rules run over the whole text (one `StateBlock`,
    markdown-it's own top-level loop), so every block sees the lines it would see; their tokens are taken a group of
    top-level blocks at a time, run through the core rules after `block` and built, then dropped. Link reference
    definitions and footnote labels are document-wide (a link may come before its definition), so when the text can
    hold either, a first pass runs the block rules alone to collect them; the second pass's block rules then write
    into a scratch env, as the definitions they meet again must not reset what inline parsing has counted. Footnote
    definitions are taken out of each group and `footnote_tail` runs once at the end, as it does over a whole stream.
    """
    md = _parser_for(body)
    env: dict[str, Any] = {}
    names = md.core.ruler.get_active_rules()
    rules = dict(zip(names, md.core.ruler.getRules(""), strict=True))
    core = StateCore(body, md, env)
    for name in names[: names.index("block")]:
        rules[name](core)  # `normalize`
    src = core.src
    del core, body
    if not src:
        return []
    after_block = names[names.index("block") + 1 :]
    tail = "footnote_tail" in after_block
    inline_rules = [rules[n] for n in (after_block[: after_block.index("footnote_tail")] if tail else after_block)]
    join_rules = [rules[n] for n in after_block[after_block.index("footnote_tail") + 1 :]] if tail else []
    state = StateBlock(src, md, env, [])
    if {"reference", "footnote_def"} & set(md.block.ruler.get_active_rules()):
        for _ in _top_level_groups(state):
            state.tokens = []
        state.env = {}
    builder = _Builder(offset, 0)
    blocks: list[Block] = []
    refs: list[Token] = []  # footnote definitions' tokens, as footnote_tail finds them in the stream
    inside = False
    for _ in _top_level_groups(state):
        group = StateCore("", md, env, state.tokens)
        state.tokens = []
        for rule in inline_rules:
            rule(group)
        if tail:
            kept: list[Token] = []
            for tok in group.tokens:  # footnote_tail's own walk: a definition's tokens leave the stream
                if tok.type in {"footnote_reference_open", "footnote_reference_close"}:
                    inside = tok.type == "footnote_reference_open"
                    refs.append(tok)
                elif inside:
                    refs.append(tok)
                else:
                    kept.append(tok)
            group.tokens = kept
        for rule in join_rules:
            rule(group)
        blocks.extend(builder.build(group.tokens))
    if tail:
        end = StateCore("", md, env, refs)
        rules["footnote_tail"](end)
        for rule in join_rules:
            rule(end)
        blocks.extend(builder.build(end.tokens))
    return blocks


def _top_level_groups(state: StateBlock) -> Iterator[None]:
    """markdown-it's `ParserBlock.tokenize` over the whole text at the top level, pausing after a block once the
    blocks in `state.tokens` span GROUP_CHARS characters, and at the end: between top-level blocks no rule holds
    an index into the tokens, so the caller may take them."""
    rules = state.md.block.ruler.getRules("")
    line = 0
    end = state.lineMax
    has_empty_lines = False
    start = 0
    while line < end:
        state.line = line = state.skipEmptyLines(line)
        if line >= end:
            break
        for rule in rules:
            if rule(state, line, end, False):
                if state.line <= line:
                    raise RuntimeError("block rule didn't increment state.line")
                break
        else:
            raise RuntimeError("none of the block rules matched")
        state.tight = not has_empty_lines
        line = state.line
        if line - 1 < end and state.isEmpty(line - 1):
            has_empty_lines = True
        if line < end and state.isEmpty(line):
            has_empty_lines = True
            line += 1
            state.line = line
        if state.bMarks[line] - start >= GROUP_CHARS:
            start = state.bMarks[line]
            yield
    yield


_CONTAINER_TOKENS = frozenset({
    "bullet_list_open", "ordered_list_open", "bullet_list_close", "ordered_list_close", "list_item_open",
    "blockquote_open", "blockquote_close",
})


class _Builder:
    """Walks markdown-it's token stream, keeping track of the list and quote containers."""

    def __init__(self, offset: int, nesting: int) -> None:
        self.offset = offset
        self.nesting = nesting
        self.depth = 0
        self.quote = 0
        self.ordered: list[bool] = []
        self.item_first = False  # the next paragraph opens a list item
        self.marker = ""  # the open ordered item's marker, for its first paragraph
        self.last_line = offset  # the first line of the last block read from the source

    def build(self, tokens: Sequence[Token]) -> Iterator[Block]:
        i = 0
        n = len(tokens)
        while i < n:
            tok = tokens[i]
            kind = tok.type
            if kind in _CONTAINER_TOKENS:
                self._container(tok)
            elif kind == "heading_open":
                yield self._block("heading", tokens[i + 1], tok, level=int(tok.tag[1]))
                self.item_first = False
                i += 2
            elif kind == "paragraph_open":
                if self.item_first:
                    block_kind: BlockKind = "item"
                elif self.quote:
                    block_kind = "quote"
                else:
                    block_kind = "paragraph"
                self.item_first = False
                yield self._block(block_kind, tokens[i + 1], tok)
                i += 2
            elif kind == "tr_open":
                row, i = self._table_row(tokens, i)
                yield row
            elif kind in {"fence", "code_block", "colon_fence"}:
                yield from self._code(tok)
                self.item_first = False
            elif kind in {"math_block", "math_block_label"}:
                line, end = self._lines(tok)
                yield Block("math", (Span("math", tok.content.strip("\n")),), line, end, quote=self.quote)
            elif kind == "html_block":
                yield from self._html(tok)
            elif kind == "dt_open":  # a definition list's term: its inline content follows, with no paragraph
                self.item_first = False
                if i + 1 < n and tokens[i + 1].type == "inline":
                    line = self._lines(tok)[0]
                    yield Block("paragraph", tuple(_spans(tokens[i + 1])), line, line + 1, depth=self.depth,
                                quote=self.quote)
                    i += 1
            i += 1

    def _container(self, tok: Token) -> None:
        """Track the list and quote a block sits in."""
        kind = tok.type
        if kind in {"bullet_list_open", "ordered_list_open"}:
            self.depth += 1
            self.ordered.append(kind == "ordered_list_open")
        elif kind in {"bullet_list_close", "ordered_list_close"}:
            self.depth -= 1
            self.ordered.pop()
        elif kind == "list_item_open":
            self.item_first = True
            self.marker = f"{tok.info}{tok.markup}" if tok.info else ""
        elif kind == "blockquote_open":
            self.quote += 1
        else:
            self.quote -= 1

    def _table_row(self, tokens: Sequence[Token], i: int) -> tuple[Block, int]:
        """The row opened at `tokens[i]`, and the index of its `tr_close`."""
        j = i + 1
        cells: list[tuple[Span, ...]] = []
        while j < len(tokens) and tokens[j].type != "tr_close":
            if tokens[j].type == "inline":
                cells.append(tuple(_spans(tokens[j])))
            j += 1
        line, end = self._lines(tokens[i])
        row = Block("table_row", _join_cells(cells), line, end, depth=self.depth, quote=self.quote, cells=tuple(cells))
        return row, j

    def _lines(self, tok: Token) -> tuple[int, int]:
        """The source lines of a block's token. A token markdown-it made up has none (an inline footnote's
        body, `^[…]`, which it moves to the end): it takes the line of the block before it, so blocks stay in
        source order."""
        if tok.map:
            self.last_line = tok.map[0] + self.offset
            return self.last_line, tok.map[1] + self.offset
        return self.last_line, self.last_line

    def _block(self, kind: BlockKind, inline: Token, opener: Token, level: int = 0) -> Block:
        line, end = self._lines(opener)
        ordered = bool(self.ordered and self.ordered[-1]) if kind == "item" else False
        content = inline.content
        if inline.meta.get("plain") and "\n" not in content:  # one line of text: most blocks of prose
            spans: tuple[Span, ...] = (Span("text", _nfkc(content)),) if content else ()
        else:
            spans = tuple(_spans(inline))
        return Block(kind, spans, line, end, level=level, depth=self.depth, quote=self.quote, ordered=ordered,
                     marker=self.marker if ordered else "")

    def _code(self, tok: Token) -> Iterator[Block]:
        line, end = self._lines(tok)
        info = tok.info.strip()
        directive = _DIRECTIVE.match(info)
        if directive and self.nesting < _MAX_NESTING:  # a MyST directive: its options are never text
            name, argument = directive.group(1).lower(), directive.group(2).strip()
            body_lines = tok.content.split("\n")
            skip = 0
            while skip < len(body_lines) and _OPTION.match(body_lines[skip]):
                skip += 1  # `:label: fig-1`, `:width: 80%`: the directive's options
            body = "\n".join(body_lines[skip:])
            if name in _MATH_DIRECTIVES:
                yield Block("math", (Span("math", body.strip("\n")),), line, end, quote=self.quote)
                return
            if name in _CODE_DIRECTIVES:
                code = body.rstrip("\n")
                if code.strip():
                    yield Block("code", (Span("code", code),), line, end, depth=self.depth, quote=self.quote,
                                info=argument or name)
                return
            if argument and name in {"admonition", "topic", "sidebar"}:
                yield Block("paragraph", (Span("text", argument),), line, line + 1, depth=self.depth,
                            quote=self.quote)
            yield from _parse_body(body, line + 1 + skip, self.nesting + 1)
            return
        if tok.type == "colon_fence" and not directive and self.nesting < _MAX_NESTING:
            yield from _parse_body(tok.content, line + 1, self.nesting + 1)  # a plain `:::` container
            return
        code = tok.content.rstrip("\n")
        if code.strip():
            yield Block("code", (Span("code", code),), line, end, depth=self.depth, quote=self.quote, info=info)

    def _html(self, tok: Token) -> Iterator[Block]:
        line, end = self._lines(tok)
        content = tok.content
        if not content.strip() or self.nesting >= _MAX_NESTING:
            return
        first, _, rest = content.partition("\n")
        if rest.strip() and _LONE_TAG.match(first):
            # A line holding only a tag (`<br>`, `<img …>`, `</details>`) opens an HTML block that runs to the next
            # blank line, so the markdown after it (`<br>` then `### 3-1. Method`) would be read as HTML: the tag
            # line is read as HTML, the lines after it as the markdown the author wrote.
            yield from self._html_text(first, line, line + 1)
            yield from _parse_body(rest, line + 1, self.nesting + 1)
            return
        yield from self._html_text(content, line, end)

    def _html_text(self, content: str, line: int, end: int) -> Iterator[Block]:
        from notepipe.formats._html_markdown import parse as parse_html
        from notepipe.formats._html_markdown import to_markdown

        markdown = to_markdown(parse_html(content))
        if not markdown.strip():
            return
        # The HTML's own markdown is parsed again; its blocks keep the HTML block's first line.
        for block in _parse_body(markdown, 0, self.nesting + 1):
            yield _moved(block, line, end, self.depth, self.quote)


def _moved(block: Block, line: int, end: int, depth: int, quote: int) -> Block:
    kind: BlockKind = "html" if block.kind in {"paragraph", "quote"} else block.kind
    return Block(kind, block.spans, line, end, block.level, depth or block.depth, quote or block.quote, block.info,
                 block.ordered, block.cells, block.marker)


def _join_cells(cells: list[tuple[Span, ...]]) -> tuple[Span, ...]:
    out: list[Span] = []
    for cell in cells:
        if not cell:
            continue
        if out:
            out.append(Span("text", " "))
        out.extend(cell)
    return tuple(out)


# A line that is one start or end tag, of any element but those whose content is raw text or whose children only
# make sense inside it (table and list structure): an HTML block it opens runs to the next blank line in
# CommonMark, so the lines after it are read as the markdown they are.
_LONE_TAG = re.compile(r"^ {0,3}</?(?!(?:pre|script|style|textarea|table|thead|tbody|tfoot|tr|td|th|ul|ol|li|dl|dt|"
                       r"dd)\b)[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>\s*$", re.IGNORECASE)
# Inline HTML: a tag starts or ends, or stands alone (`<br>`, `<img>`).
_TAG_NAME = re.compile(r"^<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)")
_BREAK_TAGS = frozenset({"br", "hr"})
_HIDDEN_TAGS = frozenset({"script", "style", "rt", "rp", "template", "textarea"})


def _spans(inline: Token) -> Iterator[Span]:  # noqa: PLR0915 - one dispatch over markdown-it's inline tokens
    """The spans of one inline token's children: text merged, links and images resolved, HTML tags read."""
    if inline.meta.get("plain"):
        yield from _plain_spans(inline.content)
        return
    children = inline.children or []
    buf: list[str] = []
    link_url: str | None = None
    link_text: list[str] = []
    hidden = 0

    def flush() -> Iterator[Span]:
        if buf:
            text = "".join(buf)
            buf.clear()
            if text:
                yield Span("text", _nfkc(text))

    for child in children:
        kind = child.type
        if hidden and kind != "html_inline":
            continue
        if link_url is not None and kind not in {"link_close", "link_open", "html_inline"}:
            if kind in {"text", "code_inline", "math_inline"} or kind == "image":
                link_text.append(child.content)
            elif kind in {"softbreak", "hardbreak"}:
                link_text.append(" ")
            continue
        if kind == "text":
            buf.append(child.content)
        elif kind in {"softbreak", "hardbreak"}:
            yield from flush()
            yield Span("break", "\n")
        elif kind == "code_inline":
            yield from flush()
            yield Span("code", child.content)
        elif kind in {"math_inline", "math_inline_double"}:
            yield from flush()
            yield Span("math", child.content, display=kind == "math_inline_double")
        elif kind == "link_open":
            yield from flush()
            link_url = str(child.attrs.get("href") or "")
            link_text = []
        elif kind == "link_close":
            if link_url is not None:
                yield Span("link", _nfkc(" ".join("".join(link_text).split())), link_url)
            link_url = None
        elif kind == "image":
            yield from flush()
            alt = " ".join(child.content.split())
            if alt:
                yield Span("image", _nfkc(alt), str(child.attrs.get("src") or ""))
        elif kind == "footnote_ref":
            continue
        elif kind == "html_inline":
            hidden = _inline_html(child.content, buf, hidden)
            if link_url is not None and buf:  # text an inline tag produced inside a link (an `<img alt>`)
                link_text.extend(buf)
                buf.clear()
            if link_url is None and _is_break_tag(child.content):
                yield from flush()
                yield Span("break", "\n")
                buf.clear()
    if link_url is not None:  # an unclosed link: its text is still the author's
        buf.extend(link_text)
    yield from flush()


def _plain_spans(content: str) -> Iterator[Span]:
    """Inline content without markup: its lines as text, with the spaces the `newline` rule drops around each
    line break dropped (trailing spaces before it, leading spaces and tabs after it)."""
    if "\n" not in content:
        if content:
            yield Span("text", _nfkc(content))
        return
    lines = content.split("\n")
    last = len(lines) - 1
    for i, raw in enumerate(lines):
        line = raw.lstrip(" \t") if i else raw
        if i < last:
            line = line.rstrip(" ")
        if line:
            yield Span("text", _nfkc(line))
        if i < last:
            yield Span("break", "\n")


def _is_break_tag(tag: str) -> bool:
    m = _TAG_NAME.match(tag)
    return m is not None and not m.group(1) and m.group(2).lower() == "br"


def _inline_html(tag: str, buf: list[str], hidden: int) -> int:
    """Read one inline HTML tag: `<img alt>` adds its alt text; hidden elements (`<script>`, ruby readings) are
    skipped until their end tag. Returns the hidden depth after the tag."""
    m = _TAG_NAME.match(tag)
    if m is None:
        return hidden  # a comment or a processing instruction
    closing, name = m.group(1) == "/", m.group(2).lower()
    if name in _HIDDEN_TAGS and not tag.rstrip().endswith("/>"):
        return max(0, hidden - 1) if closing else hidden + 1
    if hidden:
        return hidden
    if name == "img" and not closing:
        alt = _img_alt(tag)
        if alt:
            buf.append(alt)
    elif name in _BREAK_TAGS:
        return hidden  # the caller turns it into a break
    return hidden


@lru_cache(maxsize=1024)
def _img_alt(tag: str) -> str:
    from lxml import html as lxml_html

    try:
        el = lxml_html.fragment_fromstring(tag)
    except Exception:
        return ""
    return " ".join((el.get("alt") or "").split())

