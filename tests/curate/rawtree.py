"""Builders for small raw/ trees in tests: a Qiita API item, a Hatena entry page and a GitHub markdown file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from notepipe.models import RawMeta
from notepipe.raw_store import RawStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"

QIITA_ID = "c3e1a9b07f52d64e8a10"
QIITA_KEY = f"qiita:{QIITA_ID}"
HATENA_KEY = "hatena:blog.nlp-memo.jp/entry/cot-and-react"
GITHUB_KEY = "github:kim-ml/paper-notes/notes/2024-03.md"
GITHUB_URL = "https://github.com/kim-ml/paper-notes/blob/main/notes/2024-03.md"

QIITA_BODY_V1 = """# Transformer を読み直す

読んだ論文: Attention Is All You Need (arXiv:1706.03762)

RNN を使わず、自己注意だけで系列変換を行う構成です。位置エンコーディングで順序を与えます。

- エンコーダとデコーダはそれぞれ 6 層
- マルチヘッド注意でヘッドごとに別の部分空間を見る
"""

QIITA_BODY_V2 = QIITA_BODY_V1 + """
## 追記

後続の BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding (arXiv:1810.04805) も読みました。
"""

GITHUB_MD = """# 2024-03 논문 메모

이번 주에는 Transformer 원 논문을 다시 읽었다: https://arxiv.org/abs/1706.03762

셀프 어텐션만으로 번역 모델을 만든다는 점이 지금 봐도 깔끔하다. 위치 인코딩은 사인 함수를 쓴다.
"""

# A local text dump under raw/samples: cites the paper by title only (with its year).
LOCAL_NOTE = """読書メモ

今週読んだ論文のメモです。機械翻訳の話が中心でした。

- **Attention Is All You Need** (Vaswani et al., 2017)

自己注意の計算量は系列長の二乗に比例するので、長い文書では工夫が必要になります。
"""


def qiita_item(body: str, updated_at: str) -> bytes:
    """A Qiita API v2 item, as `GET /api/v2/items/:id` returns it (trimmed to the fields we read)."""
    item: dict[str, Any] = {
        "id": QIITA_ID,
        "title": "【論文メモ】Transformer を読み直す",
        "body": body,
        "created_at": "2023-05-01T10:00:00+09:00",
        "updated_at": updated_at,
        "url": f"https://qiita.com/mlnote_k/items/{QIITA_ID}",
        "tags": [{"name": "機械学習", "versions": []}, {"name": "論文読み", "versions": []}],
        "user": {"id": "mlnote_k", "name": "ML ノート"},
        "private": False,
    }
    return json.dumps(item, ensure_ascii=False, indent=2).encode("utf-8")


class RawTree:
    """A raw/ folder in tmp_path, filled through RawStore.put like the fetchers do."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.store = RawStore(root)

    def qiita(self, body: str = QIITA_BODY_V1, updated_at: str = "2023-05-01T10:00:00+09:00",
              fetched_at: str = "2024-04-01T00:00:00Z") -> RawMeta:
        meta, _ = self.store.put(
            qiita_item(body, updated_at), ext="json", key=QIITA_KEY, source="qiita", author="mlnote_k",
            native_id=QIITA_ID, fetched_url=f"https://qiita.com/api/v2/items/{QIITA_ID}",
            url=f"https://qiita.com/mlnote_k/items/{QIITA_ID}", version=updated_at,
            media_type="application/json; charset=utf-8", fetched_at=fetched_at,
        )
        return meta

    def hatena(self, fetched_at: str = "2024-04-01T00:00:05Z") -> RawMeta:
        data = (FIXTURES / "hatena" / "entry_customdomain_cot.html").read_bytes()
        meta, _ = self.store.put(
            data, ext="html", key=HATENA_KEY, source="hatena", author="blog.nlp-memo.jp",
            native_id="entry/cot-and-react", fetched_url="https://blog.nlp-memo.jp/entry/cot-and-react",
            url="https://blog.nlp-memo.jp/entry/cot-and-react", media_type="text/html; charset=utf-8",
            fetched_at=fetched_at,
        )
        return meta

    def github(self, data: bytes | None = None, fetched_at: str = "2024-04-01T00:00:10Z",
               media_type: str = "text/plain; charset=utf-8") -> RawMeta:
        meta, _ = self.store.put(
            GITHUB_MD.encode("utf-8") if data is None else data, ext="md", key=GITHUB_KEY, source="github",
            author="kim-ml", native_id="paper-notes/notes/2024-03.md",
            fetched_url="https://raw.githubusercontent.com/kim-ml/paper-notes/main/notes/2024-03.md",
            url=GITHUB_URL, version="9fceb02d0ae598e95dc970b74767f19372d61af8", media_type=media_type,
            fetched_at=fetched_at,
        )
        return meta

    def local(self, rel: str, data: bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def copy_fixture(self, fixture: str, rel: str) -> Path:
        return self.local(rel, (FIXTURES / fixture).read_bytes())


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every line of a JSONL file."""
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def records_by_id(curated: Path) -> dict[str, dict[str, Any]]:
    """All records of all shards, by id."""
    return {r["id"]: r for shard in sorted((curated / "records").glob("*.jsonl")) for r in read_jsonl(shard)}


def snapshot_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (cache and lock excluded) → its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).as_posix().startswith(".")}


def copy_tree(src: Path, dst: Path) -> None:
    """Copy a folder."""
    shutil.copytree(src, dst)
