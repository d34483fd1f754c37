"""The fixture content: Qiita items, Hatena Blog entries and GitHub files, with fixed timestamps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from . import texts_github as gh
from . import texts_hatena as ht
from . import texts_qiita as qt

JST = timezone(timedelta(hours=9))


def jst(text: str) -> datetime:
    """Parse 'YYYY-MM-DD HH:MM:SS' as Japan time."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=JST)


@dataclass
class QiitaItem:
    """One Qiita article (the fields the API derives everything else from)."""

    id: str
    user: str
    title: str
    body: str
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    likes_count: int = 0
    stocks_count: int = 0
    comments_count: int = 0


@dataclass
class HatenaEntry:
    """One Hatena Blog entry; path is relative to the blog base, e.g. '/entry/2025/02/03/210000'."""

    path: str
    entry_id: str
    title: str
    html: str
    published: datetime
    updated: datetime
    categories: list[str] = field(default_factory=lambda: ["論文紹介"])


@dataclass
class HatenaBlog:
    """A blog: its host (e.g. 'papermemo.hatenablog.com'), chrome text and entries."""

    host: str
    title: str
    description: str
    author: str
    blog_id: str
    entries: list[HatenaEntry]


@dataclass
class GitHubRepo:
    """A repository with one branch; files maps path to bytes."""

    owner: str
    name: str
    repo_id: int
    description: str
    files: dict[str, bytes]
    branch: str = "main"

    @property
    def full_name(self) -> str:
        """'owner/name'."""
        return f"{self.owner}/{self.name}"


QIITA_USERS: dict[str, str] = {"mlnotes_ja": "ML論文ノート", "empty_user": ""}


def qiita_items() -> list[QiitaItem]:
    """The five items of mlnotes_ja (four Japanese, one Korean), newest first."""
    return [
        QiitaItem(
            "c3a1f0e9b27d4e8a5f61", "mlnotes_ja", "【論文紹介】Attention Is All You Need を改めて読む", qt.TRANSFORMER,
            ["論文読み", "Transformer", "自然言語処理"], jst("2025-03-04 10:20:30"), jst("2025-03-05 09:00:00"), 42, 30, 1,
        ),
        QiitaItem(
            "8e4b2d07f1c9a3365b10", "mlnotes_ja", "BERT と RoBERTa の事前学習の違いを整理した", qt.BERT_ROBERTA,
            ["BERT", "論文読み", "機械学習"], jst("2025-02-18 19:05:00"), jst("2025-02-18 19:05:00"), 12, 8,
        ),
        QiitaItem(
            "0f7d9c2a64e1b83d7c55", "mlnotes_ja", "[논문 리뷰] CLIP: 자연어 감독으로 시각 표현 학습하기", qt.CLIP_KO,
            ["CLIP", "논문리뷰", "multimodal"], jst("2025-02-02 22:40:10"), jst("2025-02-03 07:15:00"), 5, 2,
        ),
        QiitaItem(
            "5b20e8f3a9d7c1046e2f", "mlnotes_ja", "Vision Transformer (ViT) 論文メモ：画像を 16x16 のパッチに切る", qt.VIT,
            ["ViT", "画像認識", "論文読み"], jst("2025-01-15 08:30:00"), jst("2025-01-15 08:30:00"), 20, 15,
        ),
        QiitaItem(
            "d94c61a0e7f2b58c3a18", "mlnotes_ja", "LoRA で大規模言語モデルを低コストに微調整する仕組み", qt.LORA,
            ["LoRA", "LLM", "ファインチューニング"], jst("2024-12-20 12:00:00"), jst("2024-12-22 18:30:00"), 64, 51, 3,
        ),
    ]


def hatena_blogs() -> list[HatenaBlog]:
    """papermemo.hatenablog.com (5 entries, one under /entry/drafts/) and hanabi-ko.hateblo.jp (2, Korean)."""
    papermemo = HatenaBlog(
        "papermemo.hatenablog.com", "論文メモ帳", "機械学習の論文を読んだら書くブログ", "papermemo",
        "6802418398307750133",
        [
            HatenaEntry("/entry/2025/02/03/210000", "6802418398325011234", "【論文メモ】Denoising Diffusion Probabilistic Models",
                        ht.DDPM, jst("2025-02-03 21:00:00"), jst("2025-02-04 08:12:00")),
            HatenaEntry("/entry/2025/01/20/083000", "6802418398321877650", "Chain-of-Thought プロンプティングの論文を読んだ",
                        ht.COT, jst("2025-01-20 08:30:00"), jst("2025-01-20 08:30:00")),
            HatenaEntry("/entry/drafts/secret", "6802418398320453318", "（下書き）Mamba の論文を読んでいる途中",
                        ht.MAMBA_DRAFT, jst("2025-01-12 23:45:00"), jst("2025-01-13 00:10:00"), ["下書き"]),
            HatenaEntry("/entry/2025/01/05/120000", "6802418398318012976", "U-Net 再訪：医用画像セグメンテーションの原点",
                        ht.UNET, jst("2025-01-05 12:00:00"), jst("2025-01-06 10:00:00"), ["論文紹介", "画像処理"]),
            HatenaEntry("/entry/2024/12/24/190000", "6802418398315529011", "Batch Normalization と Layer Normalization を比べる",
                        ht.NORMALIZATION, jst("2024-12-24 19:00:00"), jst("2024-12-24 19:00:00")),
        ],
    )
    hanabi = HatenaBlog(
        "hanabi-ko.hateblo.jp", "하나비의 논문 노트", "읽은 논문을 한국어로 정리합니다", "hanabi_ko",
        "6802888565209918374",
        [
            HatenaEntry("/entry/2025/02/10/220000", "6802888565231104472", "GPT-3 논문 리뷰: Language Models are Few-Shot Learners",
                        ht.GPT3_KO, jst("2025-02-10 22:00:00"), jst("2025-02-10 22:00:00"), ["논문리뷰"]),
            HatenaEntry("/entry/2025/01/15/093000", "6802888565226600218", "Adam 옵티마이저 논문 정리",
                        ht.ADAM_KO, jst("2025-01-15 09:30:00"), jst("2025-01-16 11:20:00"), ["논문리뷰"]),
        ],
    )
    return [papermemo, hanabi]


def github_repos() -> list[GitHubRepo]:
    """ko-reader/paper-notes on branch main."""
    files = {
        "README.md": gh.README.encode(),
        "reviews/2025-01-vit.md": gh.VIT_KO.encode(),
        "reviews/2025-02-lora.md": gh.LORA_KO.encode(),
        "reviews/日本語/clip.md": gh.CLIP_JA.encode(),
        "reviews/img/fig1.png": gh.tiny_png(),
        "scripts/tool.py": gh.TOOL_PY.encode(),
    }
    return [GitHubRepo("ko-reader", "paper-notes", 781234567, "머신러닝 논문 리뷰 노트 / 論文メモ", files)]
