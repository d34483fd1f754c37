"""GitHub: the git tree lists markdown files and blob SHAs; only changed blobs are fetched, as raw files."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from notepipe.config import GithubSource
from notepipe.http import FetchError
from notepipe.sources._base import SyncContext

SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
_ACCEPT = "application/vnd.github+json"


def _api(ctx: SyncContext, url: str, etag: str | None = None) -> Any:
    resp = ctx.client.get(url, etag=etag, accept=_ACCEPT)
    return resp if resp.not_modified else (resp, resp.json())


def _branch(src: GithubSource, ctx: SyncContext) -> str:
    if src.branch:
        return src.branch
    if ctx.state.get("branch"):
        return str(ctx.state["branch"])
    _, repo = _api(ctx, f"{src.api_base}/repos/{src.repo}")
    branch = repo.get("default_branch") if isinstance(repo, dict) else None
    if not isinstance(branch, str) or not branch:
        raise FetchError(f"{src.api_base}/repos/{src.repo}", "the repository has no default_branch")
    ctx.state["branch"] = branch
    return branch


def wanted(entry: Any, folder: str) -> bool:
    """A markdown blob inside the configured folder (a symlink, mode 120000, is a blob whose text is its target:
    not a post)."""
    if not isinstance(entry, dict) or entry.get("type") != "blob" or entry.get("mode") == "120000":
        return False
    path, sha = entry.get("path"), entry.get("sha")
    if not isinstance(path, str) or not isinstance(sha, str) or not path.lower().endswith(SUFFIXES):
        return False
    parts = path.split("/")
    if path.startswith("/") or any(p in {"", ".", ".."} or "\\" in p or "\x00" in p for p in parts):
        return False  # git never lists such paths; a tree that does is not to be trusted with URLs or files
    return not folder or path.startswith(folder + "/")


_PROGRESS_EVERY = 50  # files between progress lines


def sync(src: GithubSource, ctx: SyncContext) -> None:
    """One conditional tree request; then one raw fetch per new or changed markdown blob."""
    state = ctx.state
    files: dict[str, Any] = state.setdefault("files", {})
    branch = _branch(src, ctx)
    tree_url = f"{src.api_base}/repos/{src.repo}/git/trees/{quote(branch, safe='')}?recursive=1"
    try:
        got = _api(ctx, tree_url, None if ctx.full else state.get("tree_etag"))
    except FetchError as exc:
        if exc.status != 404 or src.branch or not state.get("branch"):
            raise
        state.pop("branch")  # the default branch was renamed: look it up again
        return sync(src, ctx)
    if not isinstance(got, tuple):
        ctx.report.status = "unchanged"
        return None
    resp, tree = got
    entries = tree.get("tree") if isinstance(tree, dict) else None
    if not isinstance(entries, list):
        raise FetchError(tree_url, "expected a git tree object with a `tree` list")
    if tree.get("truncated"):
        ctx.report.message = "the tree is truncated by the API (over 100,000 entries); some files were not listed"
    failed = False
    listed = sorted((e for e in entries if wanted(e, src.path)), key=lambda e: e["path"])
    for done, entry in enumerate(listed, 1):
        failed |= not _keep_file(ctx, src, branch, entry, files)
        ctx.save()
        if done % _PROGRESS_EVERY == 0 or done == len(listed):  # a first run fetches thousands of files
            ctx.progress(f"tree of {branch}, {done} of {len(listed)} files", ctx.report.new + ctx.report.updated,
                         len(listed))
    if not listed:
        ctx.progress(f"tree of {branch}", 0, 0)
    if not failed:  # a failed file must be retried next run, so the tree is only "seen" when all landed
        state["tree_etag"] = resp.etag
    ctx.save()
    return None


def _keep_file(ctx: SyncContext, src: GithubSource, branch: str, entry: dict[str, Any],
               files: dict[str, Any]) -> bool:
    path, blob = entry["path"], entry["sha"]
    known = files.get(path)
    if known and known.get("version") == blob and not ctx.full:
        ctx.report.unchanged += 1
        return True
    url = f"{src.raw_base}/{src.repo}/{quote(branch, safe='')}/{quote(path)}"
    try:
        resp = ctx.client.get(url)  # public raw files: the client sends the token only under api_base
    except FetchError as exc:
        ctx.report.fail(url, exc)
        return False
    meta = ctx.keep(
        resp.content, known=known, ext=path.rsplit(".", 1)[-1], key=f"github:{src.repo}/{path}", source="github",
        author=src.owner, native_id=f"{src.repo.split('/')[1]}/{path}",
        url=f"https://github.com/{src.repo}/blob/{quote(branch, safe='')}/{quote(path)}", fetched_url=url,
        status=resp.status, etag=resp.etag, last_modified=resp.last_modified, version=blob,
        media_type=resp.media_type,
    )
    if meta is None:
        return False
    files[path] = {"version": blob, "sha256": meta.sha256}
    return True
