"""GitHub under /github/api (repo, recursive git tree) and /github/raw, with real git blob/tree SHA-1s."""

from __future__ import annotations

import hashlib
import math
import time
from urllib.parse import unquote

from .content import GitHubRepo, github_repos
from .wire import TEXT_TYPE, Response, digest, json_bytes, json_response, not_modified, weak_etag

NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"}
Node = dict[str, "Node | bytes"]


def blob_sha(data: bytes) -> str:
    """git hash-object: sha1(b'blob <len>\\0' + data)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _nest(files: dict[str, bytes]) -> Node:
    root: Node = {}
    for path, data in files.items():
        node = root
        *dirs, name = path.split("/")
        for d in dirs:
            child = node.setdefault(d, {})
            assert isinstance(child, dict)
            node = child
        node[name] = data
    return root


def _git_order(node: Node) -> list[str]:
    return sorted(node, key=lambda n: (n + "/" if isinstance(node[n], dict) else n).encode())


def tree_sha(node: Node) -> str:
    """The git tree object id of node."""
    payload = b""
    for name in _git_order(node):
        child = node[name]
        mode, sha = (b"40000", tree_sha(child)) if isinstance(child, dict) else (b"100644", blob_sha(child))
        payload += mode + b" " + name.encode() + b"\0" + bytes.fromhex(sha)
    return hashlib.sha1(b"tree %d\0" % len(payload) + payload).hexdigest()


class GitHubSite:
    """State and routes of the GitHub fixture; the caller holds the site lock."""

    def __init__(self) -> None:
        self.repos: dict[str, GitHubRepo] = {r.full_name: r for r in github_repos()}
        self.limit, self.remaining, self.reset = 60, 60, time.time() + 3600
        self.content_types: dict[tuple[str, str], str] = {}  # (repo, path) -> served Content-Type

    def set_file(self, repo: str, path: str, data: bytes, content_type: str | None = None) -> None:
        """Create or replace a file (its blob sha, the tree sha and the tree ETag change); optionally its type."""
        self.repos[repo].files[path] = data
        if content_type is not None:
            self.content_types[repo, path] = content_type

    def set_rate(self, remaining: int, reset_in_s: float) -> None:
        """Set X-RateLimit-Remaining and the reset time (the limit refills once reset passes)."""
        self.remaining, self.reset = remaining, time.time() + reset_in_s

    def _rate(self) -> list[tuple[str, str]]:
        return [("X-RateLimit-Limit", str(self.limit)), ("X-RateLimit-Remaining", str(self.remaining)),
                ("X-RateLimit-Reset", str(math.ceil(self.reset))), ("X-RateLimit-Used", str(self.limit - self.remaining)),
                ("X-RateLimit-Resource", "core")]

    def api(self, path: str, query: dict[str, str], headers: dict[str, str], api: str) -> Response:
        """Route path below /github/api."""
        if time.time() >= self.reset:
            self.remaining, self.reset = self.limit, time.time() + 3600
        if self.remaining <= 0:
            message = {"message": "API rate limit exceeded for 127.0.0.1.",
                       "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}
            return json_response(403, message, self._rate())
        parts = path.strip("/").split("/")
        repo = self.repos.get("/".join(parts[1:3])) if parts[0] == "repos" and len(parts) >= 3 else None
        body: bytes | None = None
        if repo is not None and len(parts) == 3:
            body = json_bytes(self._repo_json(repo, api))
        elif repo is not None and parts[3:5] == ["git", "trees"] and "/".join(parts[5:]) == repo.branch:
            body = json_bytes(self._tree_json(repo, api, query.get("recursive") not in (None, "", "0", "false")))
        etag = weak_etag(body or b"")
        if body is not None and not_modified(headers, etag):
            return Response(304, b"", [("ETag", etag), *self._rate()])
        self.remaining -= 1
        if body is None:
            return json_response(404, NOT_FOUND, self._rate())
        return Response(200, body, [("Content-Type", "application/json; charset=utf-8"),
                                    ("Cache-Control", "private, max-age=60, s-maxage=60"),
                                    ("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP"), ("ETag", etag),
                                    ("X-GitHub-Media-Type", "github.v3; format=json"), *self._rate()])

    def raw(self, path: str, headers: dict[str, str]) -> Response:
        """Route path below /github/raw: '{owner}/{repo}/{branch}/{percent-encoded path}'."""
        parts = path.strip("/").split("/", 3)
        repo = self.repos.get("/".join(parts[:2])) if len(parts) == 4 else None
        name = unquote(parts[3]) if len(parts) == 4 else ""
        if repo is None or parts[2] != repo.branch or name not in repo.files:
            return Response(404, b"404: Not Found", [("Content-Type", TEXT_TYPE)])
        data = repo.files[name]
        etag = f'"{digest(data)}"'
        common = [("ETag", etag), ("Cache-Control", "max-age=300")]
        if not_modified(headers, etag):
            return Response(304, b"", common)
        kind = self.content_types.get((repo.full_name, name)) or ("image/png" if name.endswith(".png") else TEXT_TYPE)
        return Response(200, data, [("Content-Type", kind), *common])

    def _repo_json(self, repo: GitHubRepo, api: str) -> dict[str, object]:
        url = f"{api}/repos/{repo.full_name}"
        return {
            "id": repo.repo_id, "node_id": f"R_kgDO{repo.repo_id}", "name": repo.name, "full_name": repo.full_name,
            "private": False, "owner": {"login": repo.owner, "id": repo.repo_id // 7, "type": "User",
                                        "html_url": f"https://github.com/{repo.owner}"},
            "html_url": f"https://github.com/{repo.full_name}", "description": repo.description, "fork": False,
            "url": url, "trees_url": f"{url}/git/trees{{/sha}}", "created_at": "2025-01-02T03:04:05Z",
            "updated_at": "2025-02-20T11:00:00Z", "pushed_at": "2025-02-20T10:59:00Z", "size": 24,
            "stargazers_count": 7, "language": "Python", "archived": False, "disabled": False,
            "visibility": "public", "default_branch": repo.branch, "topics": ["paper-review", "machine-learning"],
        }

    def _tree_json(self, repo: GitHubRepo, api: str, recursive: bool) -> dict[str, object]:
        root = _nest(repo.files)
        base = f"{api}/repos/{repo.full_name}/git"
        entries: list[dict[str, object]] = []

        def walk(node: Node, prefix: str) -> None:
            for name in _git_order(node):
                child, path = node[name], prefix + name
                if isinstance(child, dict):
                    sha = tree_sha(child)
                    entries.append({"path": path, "mode": "040000", "type": "tree", "sha": sha, "url": f"{base}/trees/{sha}"})
                    if recursive:
                        walk(child, path + "/")
                else:
                    sha = blob_sha(child)
                    entries.append({"path": path, "mode": "100644", "type": "blob", "sha": sha, "size": len(child),
                                    "url": f"{base}/blobs/{sha}"})

        walk(root, "")
        sha = tree_sha(root)
        return {"sha": sha, "url": f"{base}/trees/{sha}", "tree": entries, "truncated": False}
