"""Page chrome in text dumps: UI strings that are never the author's writing, per site."""

from __future__ import annotations

import re
from collections.abc import Iterable

from notepipe._unicode import nfkc
from notepipe.text import normalize_space

_LEAD = re.compile(r"^(?:#{1,6}\s+|\d{1,2}\.\s+|[-*•]\s+)")  # "## Comments", "1. You get …"


def _key(line: str) -> str:
    return _LEAD.sub("", normalize_space(nfkc(line))).casefold()


def _keys(lines: Iterable[str]) -> frozenset[str]:
    return frozenset(_key(line) for line in lines)


# Distinctive enough to drop wherever they stand as a whole line.
QIITA = _keys([
    "LoginSignup",
    "Why not login to Qiita and try out its useful features?",
    "We'll deliver articles that match you.",
    "You can read useful information later.",
    "Go to list of users who liked",
    "Go to list of comments",
    "Share on X(Twitter)",
    "Share on Facebook",
    "Add to Hatena Bookmark",
    "more_horiz",
    "Delete article",
    "Deleted articles cannot be recovered.",
    "Draft of this article would be also deleted.",
    "Are you sure you want to delete this article?",
    "CancelDeletedelete",
    "Register as a new user and use Qiita more conveniently",
    "You get articles that match your needs",
    "You can efficiently read back useful information",
    "You can use dark theme",
    "What you can do with signing up",
    "No comments",
    "Let's comment your feelings that are more than good",
    "Login to continue?",
    "Login or Sign up with social account",
    "Login with your email address",
    "Sign up with your email address",
    "Login or Sign up with GitHub",
    "Login or Sign up with Google",
    "Login or Sign up with X(Twitter)",
    "Copied!",
    "Qiitaにログインして、便利な機能を使ってみませんか？",
    "あなたにマッチした記事をお届けします",
    "便利な情報をあとで効率的に読み返せます",
    "ダークテーマを利用できます",
    "ログインすると使える機能について",
    "新規登録して、もっと便利にQiitaを使ってみよう",
    "ユーザー登録して、Qiitaをもっと便利に使ってみませんか",
    "ログイン新規登録",
    "この記事は削除されます",
    "記事を削除",
    "いいねしたユーザー一覧へ移動",
    "ストックしたユーザー一覧へ移動",
    "コメント一覧へ移動",
    "Xでシェア",
    "Facebookでシェア",
    "はてなブックマークに追加",
])
GITHUB = _keys([
    "Skip to content",
    "Navigation Menu",
    "Appearance settings",
    "Search or jump to...",
    "Search code, repositories, users, issues, pull requests...",
    "Search syntax tips",
    "Provide feedback",
    "We read every piece of feedback, and take your input very seriously.",
    "Use saved searches to filter your results more quickly",
    "Resetting focus",
    "You signed in with another tab or window. Reload to refresh your session.",
    "You signed out in another tab or window. Reload to refresh your session.",
    "You switched accounts on another tab or window. Reload to refresh your session.",
    "Dismiss alert",
    "{{ message }}",
    "Uh oh! There was an error while loading. Please reload this page.",
    "Notifications You must be signed in to change notification settings",
    "Additional navigation options",
    "FilesExpand file tree",
    "Copy path",
    "More file actions",
    "Latest commit",
    "File metadata and controls",
    "Copy raw file",
    "Download raw file",
    "Edit and raw actions",
    "Open commit details",
    "Add to spaceAsk Copilot about this file",
    "Footer navigation",
    "Do not share my personal information",
])
# Only as a whole line inside the page header of a GitHub dump ("Code" may be a heading in a post).
GITHUB_HEADER = GITHUB | _keys(["History", "Breadcrumbs", "Top", "Preview", "Code", "Blame", "Raw", "Outline",
                                 "Sign in", "Sign up", "Files", "Go to file", "/"])
HATENA = _keys([
    "読者です 読者をやめる 読者になる 読者になる",
    "読者になる",
    "読者です",
    "読者をやめる",
    "コメントを書く",
    "はてなブログをはじめよう!",
    "はてなブログをはじめる(無料)",
    "はてなブログとは",
    "Powered by Hatena Blog | ブログを報告する",
    "引用をストックしました",
    "ストック一覧を見る",
    "引用するにはまずログインしてください",
    "引用をストックできませんでした。再度お試しください",
    "限定公開記事のため引用できません。",
    "Quote saved.",
    "View saved quotes",
    "Login to quote this blog",
    "Failed to save quote. Please try again later.",
    "You cannot quote because this article is private.",
    "Star added",
    "Add Star",
    "広告を非表示にする",
    "このブログについて",
    "この広告は、90日以上更新していないブログに表示しています。",
])
ALL = QIITA | GITHUB | HATENA

_PATTERN_TEXTS = (
    r"more than \d+ years? ha(?:s|ve) passed since last update\.?",
    r"この記事は最終更新日から\d+年以上が経過しています。?",
    r"(?:last updated at\s*(?:\d{4}-\d{2}-\d{2})?\s*)?posted at\s*\d{4}-\d{2}-\d{2}",
    r"(?:最終更新日\s*\S*\s*)?投稿日\s*\d{4}.*",
    r"comment\d+",
    r"\d+ lines \(\d+ loc\) · [\d.]+ [KMG]?B",
    r"© \d{4} GitHub, Inc\.?.*",
    r"\S+さんは、はてなブログを使っています。.*",
    r"(?:id:)?\S+ \d+(?:年|ヶ月|か月|日|時間|分)前 読者になる",
    r"Powered by Hatena Blog.*",
)
_PATTERNS = [re.compile(p, re.IGNORECASE) for p in _PATTERN_TEXTS]
# One pattern for all: a whole key matches the alternation exactly when it matches one of its parts (fullmatch
# backtracks into every alternative), so this answers `any(p.fullmatch(key) for p in _PATTERNS)` in one call.
_ANY_PATTERN = re.compile("|".join(f"(?:{p})" for p in _PATTERN_TEXTS), re.IGNORECASE)


def is_chrome(line: str, extra: frozenset[str] = frozenset()) -> bool:
    """True when a whole line is known page chrome (UI strings, staleness and date banners)."""
    if not line or line.isspace():  # (its key is empty: NFKC keeps whitespace whitespace)
        return False
    key = _key(line)
    if not key:
        return False
    if key in ALL or key in extra:
        return True
    return _ANY_PATTERN.fullmatch(key) is not None


def is_counter(line: str) -> bool:
    """A bare number on its own line: like/stock/comment counters around a post."""
    return bool(re.fullmatch(r"\s*[\d,.]+[kK]?\s*", line))


def drop_chrome(lines: Iterable[str], extra: frozenset[str] = frozenset()) -> list[str]:
    """Remove whole-line chrome, keeping everything else as it was."""
    return [line for line in lines if not is_chrome(line, extra)]


# Site furniture at the very top or bottom of an unknown page: menus, pagers, share rows, footers.
_EDGE = re.compile(
    r"^(?:©|\(c\)\s*\d|copyright\b|all rights reserved|powered by\b|theme\b|タグ:|tags?:"
    r"|前の記事|次の記事|이전 글|다음 글"
    r"|prev(?:ious)? post|next post|«|»).*"
    r"|.*(?:一覧|목록|をシェア|を共有|このノートを共有|공유하기)$"
    r"|^(?:いいね|좋아요|likes?|stars?)\s*\d+$",
    re.IGNORECASE,
)
_NAV_WORDS = frozenset({
    "メニュー", "ホーム", "ログイン", "ログアウト", "新規登録", "検索", "menu", "home", "login", "log in", "sign in",
    "sign up", "search", "about", "메뉴", "홈", "로그인", "회원가입", "검색",
})
_LINK_ROW = re.compile(r"^(?:\s*\[[^\]]+\]\([^)]*\)\s*[|·/・]?)+$")
_EDGE_MAX = 80


def _is_edge(line: str) -> bool:
    # A label stops at the next `[` (else a long line of unclosed `[` is rescanned from each one: quadratic).
    key = _key(re.sub(r"\[([^\[\]]*)\]\([^)]*\)", r"\1", line)).strip("←→ ")
    if re.fullmatch(r"\s*(?:-{3,}|\*{3,}|_{3,})\s*", line):
        return True
    if _LINK_ROW.match(line.strip()) and line.count("](") >= 3:
        return True
    return key in _NAV_WORDS or is_counter(line) or (len(key) <= _EDGE_MAX and bool(_EDGE.match(key)))


def trim_edges(lines: list[str]) -> list[str]:
    """Drop menu, pager, share and footer lines from the start and end of an unknown page's text."""
    start, end = 0, len(lines)
    while start < end and (not lines[start].strip() or _is_edge(lines[start])):
        start += 1
    while end > start and (not lines[end - 1].strip() or _is_edge(lines[end - 1])):
        end -= 1
    return list(lines[start:end])
