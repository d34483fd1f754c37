"""A tiny Markdown renderer producing HTML in Qiita's rendered_body conventions (enough for our fixtures)."""

from __future__ import annotations

import re
from html import escape

_INLINE = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<href>https?://[^)\s]+)\)|`(?P<code>[^`]+)`|(?P<url>https?://[^\s)<>）]+)")
_HEADING = re.compile(r"(#{1,6}) (.+)")


def _inline(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(escape(text[pos : m.start()], quote=False))
        if m["code"] is not None:
            out.append(f"<code>{escape(m['code'], quote=False)}</code>")
        else:
            href = m["href"] or m["url"]
            label = m["text"] if m["text"] is not None else m["url"]
            out.append(f'<a href="{escape(href)}" rel="nofollow noopener" target="_blank">{escape(label, quote=False)}</a>')
        pos = m.end()
    out.append(escape(text[pos:], quote=False))
    return "".join(out)


def _pos(first: int, last: int, width: int) -> str:
    return f'data-sourcepos="{first + 1}:1-{last + 1}:{max(width, 1)}"'


def render_qiita(md: str) -> str:
    """Headings with fragment anchors, code-frame blocks, lists and <br>-joined paragraphs."""
    lines = md.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            lang = line[3:].split(":")[0].strip() or "text"
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            code = escape("\n".join(lines[i + 1 : j]) + "\n", quote=False)
            out.append(f'<div class="code-frame" {_pos(i, j, 3)} data-lang="{escape(lang)}"><div class="highlight">'
                       f"<pre><code>{code}</code></pre></div></div>")
            i = j + 1
        elif m := _HEADING.fullmatch(line):
            level, text = len(m[1]), m[2]
            anchor = escape(re.sub(r"\s+", "-", text.strip().lower()))
            out.append(f'<h{level} {_pos(i, i, len(line))}>\n<span id="{anchor}" class="fragment"></span>'
                       f'<a href="#{anchor}"><i class="fa fa-link"></i></a>{_inline(text)}</h{level}>')
            i += 1
        elif line.startswith("- "):
            j = i
            items: list[str] = []
            while j < len(lines) and lines[j].startswith("- "):
                items.append(f"<li {_pos(j, j, len(lines[j]))}>{_inline(lines[j][2:])}</li>")
                j += 1
            out.append(f"<ul {_pos(i, j - 1, len(lines[j - 1]))}>\n" + "\n".join(items) + "\n</ul>")
            i = j
        elif not line.strip():
            i += 1
        else:
            j = i
            while j < len(lines) and lines[j].strip() and not lines[j].startswith(("```", "#", "- ")):
                j += 1
            text = "<br>\n".join(_inline(x) for x in lines[i:j])
            out.append(f"<p {_pos(i, j - 1, len(lines[j - 1]))}>{text}</p>")
            i = j
    return "\n".join(out) + "\n"
