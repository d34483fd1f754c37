"""FixtureSite: a loopback HTTP server (plus a second "other host") serving the fixture sources, with faults."""

from __future__ import annotations

import re
import threading
import time
import traceback
from collections import deque
from types import TracebackType
from typing import Self
from urllib.parse import parse_qsl, unquote, urlsplit

from .faults import Body, Drip, Drop, Fault, Redirect, Slow, Status, Truncate
from .github import GitHubSite
from .hatena import HatenaSite
from .papers import ArxivApi, OpenAlexApi
from .qiita import QiitaSite
from .transport import LoopbackServer, Reply, Req, utf8_path
from .wire import TEXT_TYPE, Response

DEFAULT_ROBOTS = "User-agent: *\nDisallow: /hatena/papermemo.hatenablog.com/entry/drafts/\n"


class FixtureSite:
    """The fixture site: start() binds two loopback servers on ephemeral ports; stop() shuts both down."""

    def __init__(self, *, hatena_page_size: int = 3, qiita_token: str | None = None) -> None:
        self.requests: list[Req] = []
        self.other_requests: list[Req] = []
        self._lock = threading.RLock()
        self._qiita = QiitaSite(qiita_token)
        self._hatena = HatenaSite(hatena_page_size)
        self._github = GitHubSite()
        self.arxiv = ArxivApi()
        self.openalex = OpenAlexApi()
        self._robots = DEFAULT_ROBOTS
        self._faults: list[tuple[re.Pattern[str], deque[Fault]]] = []
        self._servers: list[tuple[LoopbackServer, threading.Thread]] = []

    # lifecycle -------------------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the main and the other server (each in a daemon thread)."""
        if self._servers:
            raise RuntimeError("FixtureSite already started")
        for app, log in ((self._serve, self.requests), (self._serve_other, self.other_requests)):
            server = LoopbackServer(app, log)
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
            thread.start()
            self._servers.append((server, thread))

    def stop(self) -> None:
        """Shut both servers down and close their open connections (idempotent)."""
        for server, thread in self._servers:
            server.shutdown()
            server.server_close()
            server.close_connections()
            thread.join(timeout=5)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # addresses -------------------------------------------------------------------------------------------------
    def _address(self, index: int) -> str:
        if not self._servers:
            raise RuntimeError("FixtureSite is not started")
        host, port = self._servers[index][0].server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base(self) -> str:
        """'http://127.0.0.1:PORT' of the main server."""
        return self._address(0)

    @property
    def other_base(self) -> str:
        """The second server (another port, so another origin); it answers 200 text to everything."""
        return self._address(1)

    @property
    def qiita_api(self) -> str:
        """Base of Qiita API v2."""
        return f"{self.base}/qiita/api/v2"

    def hatena_base(self, blog: str) -> str:
        """Base URL of a Hatena blog, e.g. hatena_base('papermemo.hatenablog.com')."""
        return f"{self.base}/hatena/{blog}"

    @property
    def github_api(self) -> str:
        """Base of the GitHub REST API."""
        return f"{self.base}/github/api"

    @property
    def github_raw(self) -> str:
        """Base of raw file URLs: {github_raw}/{owner}/{repo}/{branch}/{path}."""
        return f"{self.base}/github/raw"

    @property
    def arxiv_api(self) -> str:
        """The arXiv API's query endpoint (`[papers].arxiv_api`)."""
        return f"{self.base}/arxiv/api/query"

    @property
    def openalex_api(self) -> str:
        """OpenAlex's API base (`[papers].openalex_api`)."""
        return f"{self.base}/openalex"

    @property
    def errors(self) -> list[str]:
        """Tracebacks of unexpected server-side exceptions (a bug in the site, not a fault)."""
        return [e for server, _ in self._servers for e in server.errors]

    # faults, counting, content ---------------------------------------------------------------------------------
    def fail(self, pattern: str, *faults: Fault) -> None:
        """Queue faults for requests whose path (with query) matches pattern; each is used once, in order."""
        with self._lock:
            self._faults.append((re.compile(pattern), deque(faults)))

    def count(self, pattern: str) -> int:
        """How many requests to the main server had a path (with query) matching pattern."""
        rx = re.compile(pattern)
        return sum(1 for r in list(self.requests) if rx.search(r.path))

    @property
    def qiita_token(self) -> str | None:
        """When set, 'Authorization: Bearer <token>' gets the 1000 limit and any other Authorization a 401."""
        return self._qiita.token

    @qiita_token.setter
    def qiita_token(self, token: str | None) -> None:
        with self._lock:
            self._qiita.token = token

    def set_rate(self, remaining: int, reset_in_s: float) -> None:
        """Qiita: set Rate-Remaining (both buckets) and Rate-Reset; at 0 requests get 403 until the reset."""
        with self._lock:
            self._qiita.set_rate(remaining, reset_in_s)

    def set_github_rate(self, remaining: int, reset_in_s: float) -> None:
        """GitHub API: set X-RateLimit-Remaining and -Reset; at 0 requests get 403 until the reset."""
        with self._lock:
            self._github.set_rate(remaining, reset_in_s)

    def update_qiita_item(self, item_id: str, *, body: str | None = None, title: str | None = None) -> None:
        """Edit an item; bumps updated_at (so its ETag and the list ETag change)."""
        with self._lock:
            self._qiita.update_item(item_id, body=body, title=title)

    def add_qiita_item(self, user: str, *, title: str, body: str, tags: list[str] | None = None) -> str:
        """Add a newest item for user; returns its id."""
        with self._lock:
            return self._qiita.add_item(user, title=title, body=body, tags=tags)

    def update_hatena_entry(self, blog: str, path: str, *, html: str | None = None, title: str | None = None) -> None:
        """Edit an entry ('/entry/…' path or full URL); bumps <updated> and Last-Modified."""
        with self._lock:
            self._hatena.update_entry(blog, path, html=html, title=title)

    def add_hatena_entry(self, blog: str, *, title: str, html: str, categories: list[str] | None = None) -> str:
        """Add a newest entry; returns its path relative to hatena_base(blog), e.g. '/entry/2025/02/04/210000'."""
        with self._lock:
            return self._hatena.add_entry(blog, title=title, html=html, categories=categories)

    def update_github_file(self, repo: str, path: str, text: str) -> None:
        """Replace a file's content (new blob sha; the tree sha and ETag change)."""
        with self._lock:
            if path not in self._github.repos[repo].files:
                raise KeyError(path)
            self._github.set_file(repo, path, text.encode())

    def add_github_file(self, repo: str, path: str, data: str | bytes, content_type: str | None = None) -> None:
        """Add a file to repo's branch; `content_type` replaces the raw host's `text/plain; charset=utf-8`."""
        with self._lock:
            self._github.set_file(repo, path, data.encode() if isinstance(data, str) else data, content_type)

    def set_robots(self, text: str) -> None:
        """Replace /robots.txt."""
        with self._lock:
            self._robots = text

    # serving ---------------------------------------------------------------------------------------------------
    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for rx, queue in self._faults:
                if queue and rx.search(path):
                    return queue.popleft()
        return None

    def _serve(self, req: Req) -> Reply:
        fault = self._take_fault(req.path)
        if isinstance(fault, Drop):
            return Reply(None)
        if isinstance(fault, Status):
            headers = list(fault.headers.items())
            if fault.body and not any(k.lower() == "content-type" for k, _ in headers):
                headers.append(("Content-Type", TEXT_TYPE))
            return Reply(Response(fault.code, fault.body, headers))
        if isinstance(fault, Redirect):
            return Reply(Response(fault.code, b"", [("Location", fault.location)]))
        if isinstance(fault, Slow):
            time.sleep(fault.seconds)
        resp = self._route(req)
        if isinstance(fault, Body):
            kept = [(k, v) for k, v in resp.headers if k.lower() not in ("content-type", "etag", "last-modified")]
            resp = Response(fault.status or resp.status, fault.body, [("Content-Type", fault.content_type), *kept])
        if isinstance(fault, Drip):
            return Reply(resp, drip=fault.interval, drip_headers=fault.headers)
        return Reply(resp, fault.nbytes if isinstance(fault, Truncate) else None)

    def _serve_other(self, req: Req) -> Reply:
        return Reply(Response(200, f"other host: {req.path}\n".encode(), [("Content-Type", TEXT_TYPE)]))

    def _route(self, req: Req) -> Response:
        if req.method not in ("GET", "HEAD"):
            return Response(405, b"Method Not Allowed\n", [("Content-Type", TEXT_TYPE), ("Allow", "GET, HEAD")])
        split = urlsplit(utf8_path(req.path))
        path, query = split.path, dict(parse_qsl(split.query, keep_blank_values=True))
        try:
            with self._lock:
                return self._dispatch(path, query, req.headers)
        except Exception:
            self._servers[0][0].errors.append(traceback.format_exc())
            return Response(500, traceback.format_exc().encode(), [("Content-Type", TEXT_TYPE)])

    def _dispatch(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Response:
        if path == "/robots.txt":
            return Response(200, self._robots.encode(), [("Content-Type", TEXT_TYPE)])
        if path.startswith("/qiita/api/v2/"):
            return self._qiita.handle(unquote(path.removeprefix("/qiita/api/v2")), query, headers, self.qiita_api)
        if path.startswith("/hatena/") and path.count("/") >= 2:
            blog, _, rest = path.removeprefix("/hatena/").partition("/")
            return self._hatena.handle(blog, "/" + rest, query, headers, self.hatena_base(blog))
        if path.startswith("/github/api/"):
            return self._github.api(unquote(path.removeprefix("/github/api")), query, headers, self.github_api)
        if path.startswith("/github/raw/"):
            return self._github.raw(path.removeprefix("/github/raw/"), headers)
        if path == "/arxiv/api/query":
            return self.arxiv.handle(query, self.arxiv_api)
        if path.startswith("/openalex/"):
            return self.openalex.handle(path.removeprefix("/openalex"), query)
        return Response(404, b"Not Found\n", [("Content-Type", TEXT_TYPE)])
