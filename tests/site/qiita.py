"""Qiita API v2 under /qiita/api/v2: user item lists with Link pagination, single items, rate limits, ETags."""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from .content import QIITA_USERS, QiitaItem, qiita_items
from .markdown import render_qiita
from .wire import Response, json_bytes, json_response, not_modified, weak_etag

BAD_REQUEST = {"message": "Bad request", "type": "bad_request"}
NOT_FOUND = {"message": "Not found", "type": "not_found"}
UNAUTHORIZED = {"message": "Unauthorized", "type": "unauthorized"}
RATE_LIMITED = {"message": "Rate limit exceeded", "type": "rate_limit_exceeded"}


@dataclass
class Bucket:
    """One rate-limit bucket (anonymous: 60 an hour; with the token: 1000)."""

    limit: int
    remaining: int
    reset: float

    def headers(self) -> list[tuple[str, str]]:
        """Rate-Limit, Rate-Remaining and Rate-Reset (epoch seconds)."""
        return [("Rate-Limit", str(self.limit)), ("Rate-Remaining", str(self.remaining)),
                ("Rate-Reset", str(math.ceil(self.reset)))]


class QiitaSite:
    """State and routes of the Qiita fixture; the caller holds the site lock."""

    def __init__(self, token: str | None = None) -> None:
        self.token = token
        self.users: dict[str, str] = dict(QIITA_USERS)
        self.items: list[QiitaItem] = qiita_items()
        reset = time.time() + 3600
        self.anon = Bucket(60, 60, reset)
        self.authed = Bucket(1000, 1000, reset)

    def set_rate(self, remaining: int, reset_in_s: float) -> None:
        """Set both buckets' remaining count and reset time (the bucket refills once reset passes)."""
        for bucket in (self.anon, self.authed):
            bucket.remaining = remaining
            bucket.reset = time.time() + reset_in_s

    def item(self, item_id: str) -> QiitaItem:
        """The item with this id (KeyError if none)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def update_item(self, item_id: str, *, body: str | None = None, title: str | None = None) -> None:
        """Change body/title and bump updated_at past every other timestamp."""
        item = self.item(item_id)
        item.body = item.body if body is None else body
        item.title = item.title if title is None else title
        item.updated_at = self._latest() + timedelta(days=1)

    def add_item(self, user: str, *, title: str, body: str, tags: list[str] | None = None) -> str:
        """Add a new newest item for user (created if unknown); returns its 20-hex id."""
        self.users.setdefault(user, user)
        created = self._latest() + timedelta(days=1)
        item_id = hashlib.sha1(f"{user}\0{title}\0{len(self.items)}".encode()).hexdigest()[:20]
        self.items.append(QiitaItem(item_id, user, title, body, tags or ["論文読み"], created, created))
        return item_id

    def _latest(self) -> datetime:
        return max(max(i.created_at, i.updated_at) for i in self.items)

    def to_json(self, item: QiitaItem) -> dict[str, object]:
        """The API v2 item object."""
        user_items = sum(1 for i in self.items if i.user == item.user)
        return {
            "rendered_body": render_qiita(item.body), "body": item.body, "coediting": False,
            "comments_count": item.comments_count, "created_at": item.created_at.isoformat(), "group": None,
            "id": item.id, "likes_count": item.likes_count, "private": False, "reactions_count": 0,
            "stocks_count": item.stocks_count, "tags": [{"name": t, "versions": []} for t in item.tags],
            "title": item.title, "updated_at": item.updated_at.isoformat(),
            "url": f"https://qiita.com/{item.user}/items/{item.id}",
            "user": _user_json(item.user, self.users[item.user], user_items), "page_views_count": None,
            "team_membership": None, "organization_url_name": None, "slide": False,
        }

    def handle(self, path: str, query: dict[str, str], headers: dict[str, str], api: str) -> Response:
        """Route path (below /qiita/api/v2) after the auth and rate checks."""
        auth = headers.get("authorization")
        if self.token is not None and auth is not None and auth != f"Bearer {self.token}":
            return json_response(401, UNAUTHORIZED)
        bucket = self.authed if self.token is not None and auth == f"Bearer {self.token}" else self.anon
        if time.time() >= bucket.reset:
            bucket.remaining, bucket.reset = bucket.limit, time.time() + 3600
        if bucket.remaining <= 0:
            return json_response(403, RATE_LIMITED, bucket.headers())
        bucket.remaining -= 1
        rate = bucket.headers()
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "users" and parts[2] == "items":
            return self._user_items(parts[1], query, headers, api, rate)
        if len(parts) == 2 and parts[0] == "items":
            try:
                return _cached(json_bytes(self.to_json(self.item(parts[1]))), headers, rate)
            except KeyError:
                pass
        return json_response(404, NOT_FOUND, rate)

    def _user_items(self, user: str, query: dict[str, str], headers: dict[str, str], api: str,
                    rate: list[tuple[str, str]]) -> Response:
        try:
            page, per_page = int(query.get("page", "1")), int(query.get("per_page", "20"))
        except ValueError:
            return json_response(400, BAD_REQUEST, rate)
        if not (1 <= page <= 100 and 1 <= per_page <= 100):
            return json_response(400, BAD_REQUEST, rate)
        if user not in self.users:
            return json_response(404, NOT_FOUND, rate)
        items = sorted((i for i in self.items if i.user == user), key=lambda i: i.created_at, reverse=True)
        shown = items[(page - 1) * per_page : page * per_page]
        last = max(1, math.ceil(len(items) / per_page))
        url = f"{api}/users/{user}/items"
        rels = [("first", 1), *([("prev", page - 1)] if page > 1 else []),
                *([("next", page + 1)] if page < last else []), ("last", last)]
        link = ", ".join(f'<{url}?page={n}&per_page={per_page}>; rel="{rel}"' for rel, n in rels)
        extra = [("Link", link), ("Total-Count", str(len(items)))]
        return _cached(json_bytes([self.to_json(i) for i in shown]), headers, rate + extra)


def _user_json(user: str, name: str, items_count: int) -> dict[str, object]:
    return {
        "description": "機械学習の論文を読んだメモを書いています。" if name else None, "facebook_id": None,
        "followees_count": 3, "followers_count": 17, "github_login_name": None, "id": user,
        "items_count": items_count, "linkedin_id": None, "location": None, "name": name, "organization": None,
        "permanent_id": int(hashlib.sha1(user.encode()).hexdigest()[:6], 16),
        "profile_image_url": f"https://qiita-image-store.s3.amazonaws.com/0/{user}/profile.png",
        "team_only": False, "twitter_screen_name": None, "website_url": None,
    }


def _cached(body: bytes, headers: dict[str, str], extra: list[tuple[str, str]]) -> Response:
    etag = weak_etag(body)
    common = [("ETag", etag), ("Cache-Control", "max-age=0, private, must-revalidate"), *extra]
    if not_modified(headers, etag):
        return Response(304, b"", common)
    return Response(200, body, [("Content-Type", "application/json; charset=utf-8"), *common])
