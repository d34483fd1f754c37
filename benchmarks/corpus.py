"""A deterministic synthetic corpus of Japanese and Korean paper-review posts in every input format notepipe reads.

All text comes from our own sentence templates (below); the paper titles and arXiv IDs are bibliographic facts
or made up. The file shapes follow our own fixtures (`tests/fixtures/formats/`): Qiita API item JSON and article
HTML, Hatena entry HTML and blogsync markdown, GitHub markdown, and text dumps of Qiita, Hatena and GitHub pages
with their chrome. `generate(out_dir, target_bytes, seed)` streams posts to disk until the corpus reaches the
target size, and always writes the same bytes for the same arguments.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import chrome

# (arXiv ID, title): well-known papers, plus synthetic ones made by `_synthetic_paper`.
PAPERS = [
    ("1706.03762", "Attention Is All You Need"),
    ("1810.04805", "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"),
    ("2010.11929", "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale"),
    ("2106.09685", "LoRA: Low-Rank Adaptation of Large Language Models"),
    ("2305.18290", "Direct Preference Optimization: Your Language Model is Secretly a Reward Model"),
    ("2006.11239", "Denoising Diffusion Probabilistic Models"),
    ("2112.10752", "High-Resolution Image Synthesis with Latent Diffusion Models"),
    ("2103.00020", "Learning Transferable Visual Models From Natural Language Supervision"),
    ("2111.06377", "Masked Autoencoders Are Scalable Vision Learners"),
    ("2312.00752", "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"),
    ("2005.14165", "Language Models are Few-Shot Learners"),
    ("2201.11903", "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models"),
    ("1512.03385", "Deep Residual Learning for Image Recognition"),
    ("1711.05101", "Decoupled Weight Decay Regularization"),
    ("2304.02643", "Segment Anything"),
    ("2307.09288", "Llama 2: Open Foundation and Fine-Tuned Chat Models"),
    ("2401.04088", "Mixtral of Experts"),
    ("2001.08361", "Scaling Laws for Neural Language Models"),
    ("2005.11401", "Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks"),
    ("2103.14030", "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows"),
]
_ADJ = ["Efficient", "Scalable", "Robust", "Sparse", "Adaptive", "Contrastive", "Hierarchical", "Unified",
        "Lightweight", "Self-Supervised", "Multimodal", "Causal", "Latent", "Implicit", "Structured"]
_NOUN = ["Transformers", "Diffusion Models", "State Space Models", "Attention", "Tokenizers", "Mixture of Experts",
         "Vision Encoders", "Reward Models", "Retrieval", "Distillation", "Quantization", "Graph Networks"]
_TASK = ["Long-Context Language Modeling", "Image Segmentation", "Speech Recognition", "Code Generation",
         "Instruction Tuning", "Video Understanding", "Machine Translation", "Object Detection",
         "Preference Learning", "Few-Shot Classification", "3D Reconstruction", "Table Question Answering"]
MODELS = ["ViT", "BERT", "GPT-3", "LLaMA", "CLIP", "ResNet-50", "Swin-T", "T5", "Mamba", "DINOv2", "SAM", "Whisper"]
DATASETS = ["ImageNet-1k", "COCO", "GLUE", "SQuAD v2", "CIFAR-10", "WikiText-103", "MMLU", "ADE20K", "LibriSpeech"]
METRICS = ["top-1 accuracy", "mIoU", "BLEU", "perplexity", "F1", "FID", "WER"]
TAGS = ["機械学習", "論文読み", "DeepLearning", "NLP", "CV", "LLM", "PyTorch", "Transformer", "論文紹介", "生成モデル",
        "논문리뷰", "딥러닝", "자연어처리", "컴퓨터비전"]

JA = [
    "今回は{model}の論文を読んだので、要点をまとめておきます。",
    "{dataset}での{metric}が{num}ポイント改善したと報告されています。",
    "著者らは{model}をベースに、学習の安定性を高める工夫をいくつか提案しています。",
    "正直なところ、最初に読んだときは何が新しいのかよく分かりませんでした。",
    "実装は公式のリポジトリ（{url}）にあり、PyTorchで簡単に動かせます。",
    "計算量はシーケンス長に対して線形なので、長い入力でもメモリが足りなくなりにくいです。",
    "既存手法との比較表を見ると、{model}よりも少ないパラメータ数で同等以上の性能が出ています。",
    "Ablationでは、正規化の位置を変えるだけで{metric}が{num}%も変わるのが印象的でした。",
    "バッチサイズを{int}にして{dataset}で再現実験をしてみたところ、ほぼ論文通りの数字になりました。",
    "個人的には、事前学習のデータ量と性能の関係を丁寧に調べている点が一番の貢献だと思います。",
    "一方で、推論時のレイテンシについてはあまり議論されていないのが気になりました。",
    "詳しくは原論文の第{int}章を参照してください。",
    "数式で書くと、損失は対数尤度の差にシグモイドをかけたものになります。",
    "学習率は{lr}から始めて、コサインスケジュールで減衰させています。",
    "関連研究として {paper_inline} も合わせて読むと理解が深まります。",
]
KO = [
    "이번 글에서는 {model} 논문을 읽고 핵심 내용을 정리해 본다.",
    "{dataset}에서 {metric}가 {num}포인트 향상되었다고 한다.",
    "저자들은 {model}을 기반으로 학습을 안정화하는 몇 가지 기법을 제안한다.",
    "처음 읽었을 때는 무엇이 새로운지 잘 이해가 되지 않았다.",
    "공식 구현은 {url} 에 공개되어 있고 PyTorch로 쉽게 돌려 볼 수 있다.",
    "계산량이 시퀀스 길이에 선형이라서 긴 입력에서도 메모리 부족이 잘 일어나지 않는다.",
    "기존 방법과 비교한 표를 보면 {model}보다 적은 파라미터로 비슷하거나 더 좋은 성능을 낸다.",
    "Ablation 실험에서 정규화 위치만 바꿔도 {metric}가 {num}% 달라지는 점이 인상적이었다.",
    "배치 크기를 {int}로 두고 {dataset}에서 재현해 보니 논문과 거의 같은 수치가 나왔다.",
    "개인적으로는 사전학습 데이터 양과 성능의 관계를 꼼꼼히 분석한 점이 가장 큰 기여라고 생각한다.",
    "다만 추론 지연 시간에 대한 논의가 거의 없는 점은 아쉬웠다.",
    "자세한 내용은 원 논문의 {int}장을 참고하면 된다.",
    "수식으로 쓰면 손실은 로그 우도 차이에 시그모이드를 씌운 형태가 된다.",
    "학습률은 {lr}에서 시작해서 코사인 스케줄로 줄여 나간다.",
    "관련 연구로 {paper_inline}도 같이 읽어 보면 이해에 도움이 된다.",
]
HEADINGS = {
    "ja": ["はじめに", "論文の概要", "手法", "実験結果", "所感", "実装メモ", "まとめ", "参考文献"],
    "ko": ["들어가며", "논문 개요", "방법", "실험 결과", "느낀 점", "구현 메모", "정리", "참고 문헌"],
}
TITLES = {
    "ja": ["【論文メモ】{title}", "{model}の論文を読んだ: {title}", "{title} を精読する", "今さら読む {title}"],
    "ko": ["[논문 리뷰] {title}", "{model} 논문 정리: {title}", "{title} 읽기", "{title} 논문 메모"],
}
CODE = [
    "def forward(self, x):\n    h = self.norm(x)\n    h = self.attn(h) + x\n    return self.mlp(self.norm2(h)) + h",
    "import torch\nmodel = torch.hub.load('facebookresearch/dinov2', 'dinov2_vits14')\nfeats = model(images)",
    "for step, batch in enumerate(loader):\n    loss = model(**batch).loss\n    loss.backward()\n    opt.step()",
    "pip install transformers accelerate\npython train.py --lr 3e-4 --batch-size 64",
]
FORMATS = ["qiita-api", "qiita-html", "hatena-html", "hatena-blogsync", "github-md", "qiita-dump",
           "hatena-dump", "github-dump"]


@dataclass
class Post:
    """One synthetic post: metadata plus sections of markdown blocks (paragraph, list or code)."""

    lang: str
    title: str
    author: str
    date: str
    tags: list[str]
    slug: str
    sections: list[tuple[str, list[tuple[str, object]]]] = field(default_factory=list)


def _synthetic_paper(rng: random.Random) -> tuple[str, str]:
    arxiv = f"{rng.randint(18, 24):02d}{rng.randint(1, 12):02d}.{rng.randint(100, 29999):05d}"
    return arxiv, f"{rng.choice(_ADJ)} {rng.choice(_NOUN)} for {rng.choice(_TASK)}"


def _paper(rng: random.Random) -> tuple[str, str]:
    return rng.choice(PAPERS) if rng.random() < 0.6 else _synthetic_paper(rng)


def _mention(rng: random.Random) -> str:
    """A paper as posts write it: a markdown link, title plus arXiv ID, or a bare abs/pdf URL."""
    arxiv, title = _paper(rng)
    form = rng.randrange(4)
    if form == 0:
        return f"[{title}](https://arxiv.org/abs/{arxiv})"
    if form == 1:
        return f"{title} (arXiv:{arxiv})"
    if form == 2:
        return f"{title} https://arxiv.org/pdf/{arxiv}v{rng.randint(1, 3)}"
    return f"\"{title}\" ({rng.choice(['NeurIPS', 'ICML', 'ICLR', 'CVPR', 'ACL'])} {rng.randint(2017, 2024)})"


def _sentence(rng: random.Random, lang: str) -> str:
    template = rng.choice(JA if lang == "ja" else KO)
    return template.format(
        model=rng.choice(MODELS), dataset=rng.choice(DATASETS), metric=rng.choice(METRICS),
        num=f"{rng.uniform(0.1, 9.9):.1f}", int=rng.randint(2, 512), lr=rng.choice(["1e-4", "3e-4", "5e-5"]),
        url=f"https://github.com/{rng.choice(['mllab', 'paper-impl', 'ai-notes'])}/{rng.choice(MODELS).lower()}",
        paper_inline=_mention(rng),
    )


def make_post(rng: random.Random, index: int) -> Post:
    """A post of 3–8 sections, each a few paragraphs, maybe a paper list and a code block."""
    lang = "ja" if rng.random() < 0.6 else "ko"
    _, paper_title = _paper(rng)
    title = rng.choice(TITLES[lang]).format(title=paper_title, model=rng.choice(MODELS))
    date = f"20{rng.randint(18, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+09:00"
    post = Post(lang=lang, title=title, author=f"user{rng.randint(1, 400)}", date=date,
                tags=rng.sample(TAGS, rng.randint(1, 4)), slug=f"{index:07d}")
    for heading in rng.sample(HEADINGS[lang], rng.randint(3, 8)):
        blocks: list[tuple[str, object]] = []
        for _ in range(rng.randint(1, 4)):
            blocks.append(("p", "".join(_sentence(rng, lang) + ("" if lang == "ja" else " ")
                                        for _ in range(rng.randint(1, 5))).strip()))
        if rng.random() < 0.35:
            blocks.append(("ul", [_mention(rng) for _ in range(rng.randint(1, 4))]))
        if rng.random() < 0.25:
            blocks.append(("code", rng.choice(CODE)))
        post.sections.append((heading, blocks))
    return post


# ---- markdown and HTML bodies -------------------------------------------------------------------------------

def body_markdown(post: Post) -> str:
    """The post body as markdown."""
    out: list[str] = []
    for heading, blocks in post.sections:
        out.append(f"## {heading}\n")
        for kind, value in blocks:
            if kind == "p":
                out.append(f"{value}\n")
            elif kind == "ul":
                out.append("\n".join(f"- {item}" for item in value) + "\n")  # type: ignore[union-attr]
            else:
                out.append(f"```python\n{value}\n```\n")
    return "\n".join(out)


def _inline_html(text: str) -> str:
    """Markdown links → `<a>`; everything else escaped."""
    out, pos = [], 0
    while (start := text.find("[", pos)) >= 0 and (mid := text.find("](", start)) >= 0:
        end = text.find(")", mid)
        if end < 0:
            break
        out.append(html.escape(text[pos:start]))
        href = text[mid + 2 : end]
        out.append(f'<a href="{html.escape(href)}" rel="nofollow noopener" target="_blank">'
                   f"{html.escape(text[start + 1 : mid])}</a>")
        pos = end + 1
    out.append(html.escape(text[pos:]))
    return "".join(out)


def body_html(post: Post) -> str:
    """The post body rendered as Qiita/Hatena/GitHub would: headings, paragraphs, lists, code frames."""
    out: list[str] = []
    for heading, blocks in post.sections:
        out.append(f'<h2 id="{html.escape(heading)}">{html.escape(heading)}</h2>')
        for kind, value in blocks:
            if kind == "p":
                out.append(f"<p>{_inline_html(str(value))}</p>")
            elif kind == "ul":
                out.append("<ul>\n" + "\n".join(f"<li>{_inline_html(i)}</li>" for i in value) + "\n</ul>")  # type: ignore[union-attr]
            else:
                out.append(f'<div class="code-frame" data-lang="python"><div class="highlight"><pre><code>'
                           f"{html.escape(str(value))}\n</code></pre></div></div>")
    return "\n".join(out)


def body_text(post: Post) -> list[str]:
    """The body as a browser's select-all copy shows it: no markup, link labels only."""
    lines: list[str] = []
    for heading, blocks in post.sections:
        lines += ["", heading, ""]
        for kind, value in blocks:
            if kind == "p":
                lines += [_strip_links(str(value)), ""]
            elif kind == "ul":
                lines += [_strip_links(i) for i in value] + [""]  # type: ignore[union-attr]
            else:
                lines += [*str(value).split("\n"), ""]
    return lines


def _strip_links(text: str) -> str:
    out, pos = [], 0
    while (start := text.find("[", pos)) >= 0 and (mid := text.find("](", start)) >= 0:
        end = text.find(")", mid)
        if end < 0:
            break
        out.append(text[pos:start] + text[start + 1 : mid])
        pos = end + 1
    out.append(text[pos:])
    return "".join(out)


# ---- one renderer per input format ---------------------------------------------------------------------------

def _qiita_id(post: Post) -> str:
    return f"{(int(post.slug) + 1) * 2654435761 % 16**20:020x}"


def qiita_api(post: Post) -> str:
    item_id = _qiita_id(post)
    item = {
        "rendered_body": body_html(post), "body": body_markdown(post), "coediting": False, "comments_count": 0,
        "created_at": post.date, "group": None, "id": item_id, "likes_count": int(post.slug) % 97,
        "private": False, "reactions_count": 0, "stocks_count": 3,
        "tags": [{"name": t, "versions": []} for t in post.tags], "title": post.title, "updated_at": post.date,
        "url": f"https://qiita.com/{post.author}/items/{item_id}",
        "user": {"id": post.author, "name": post.author.title(), "description": "機械学習エンジニア",
                 "followers_count": 10, "items_count": 20, "permanent_id": int(post.slug)},
        "page_views_count": None, "team_membership": None, "organization_url_name": None, "slide": False,
    }
    return json.dumps(item, ensure_ascii=False)


def qiita_html(post: Post) -> str:
    url = f"https://qiita.com/{post.author}/items/{_qiita_id(post)}"
    title = html.escape(post.title)
    tags = "".join(f'<a href="/tags/{html.escape(t)}" class="css-wzbcf5">{html.escape(t)}</a>' for t in post.tags)
    day = post.date[:10]
    rng = random.Random(int(post.slug))
    body = body_html(post)
    description = " ".join(body_text(post)).strip()
    related = [t for _, t in rng.sample(PAPERS, 10)]
    return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<title>{title} - Qiita</title>
<meta property="og:title" content="{title} - Qiita">
<meta property="og:type" content="article">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="Qiita">
<meta name="twitter:creator" content="@{post.author}">
<link rel="canonical" href="{url}">
{chrome.qiita_head(rng, description)}
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"Article","headline":{json.dumps(post.title, ensure_ascii=False)},"datePublished":"{post.date}","dateModified":"{post.date}"}}</script>
<style>.css-1yzj1fm{{display:flex;gap:8px}}.css-188vyrl{{font-size:2rem;font-weight:600}}</style>
</head>
<body>
{chrome.qiita_header()}
<div id="main">
<div class="css-1kx9h6q"><p>Why not login to Qiita and try out its useful features?</p><p>We'll deliver articles that match you.</p><a href="/login">Login</a><a href="/signup">Sign up</a><button>Later</button></div>
<div class="css-1yzj1fm"><a href="/{post.author}/likers" aria-label="Go to list of users who liked">12</a><button aria-label="Share on X(Twitter)"></button><span class="material-symbols-outlined">more_horiz</span></div>
<article class="css-1q4v0zq">
<div class="css-1jj3pfk"><a href="/{post.author}">@{post.author}</a></div>
<h1 class="css-188vyrl">{title}</h1>
<div class="css-1g7v1az">{tags}</div>
<div class="css-1mh0o5r"><span>Posted at <time datetime="{post.date}">{day}</time></span></div>
<div id="personal-public-article-body"><div class="mdContent-inner">
{body}
</div></div>
</article>
<section class="css-p2wqm0"><p>Register as a new user and use Qiita more conveniently</p><ol><li>You get articles that match your needs</li></ol><a href="/signup">Sign up</a></section>
<section id="comments"><h2>Comments</h2><p>Let's comment your feelings that are more than good</p></section>
{chrome.qiita_sidebar(rng, related)}
</div>
{chrome.qiita_footer()}
{chrome.qiita_store(post.title, post.author, body_markdown(post), body)}
</body>
</html>
"""


def _hatena_url(post: Post) -> tuple[str, str]:
    host = f"{post.author}.hatenablog.com"
    return host, f"https://{host}/entry/{post.date[:10].replace('-', '/')}/{post.slug}"


def hatena_html(post: Post) -> str:
    host, url = _hatena_url(post)
    title = html.escape(post.title)
    cats = "".join(f'<a href="/archive/category/{html.escape(t)}" class="entry-category-link">{html.escape(t)}</a>'
                   for t in post.tags)
    rng = random.Random(int(post.slug))
    description = " ".join(body_text(post)).strip()
    recent = [t for _, t in rng.sample(PAPERS, 10)]
    return f"""<!DOCTYPE html>
<html lang="{post.lang}" data-admin-domain="//blog.hatena.ne.jp" data-author="{post.author}" data-blog="{host}" data-page="entry">
<head>
<meta charset="utf-8">
<title>{title} - {post.author}のノート</title>
<link rel="canonical" href="{url}">
<link rel="author" href="http://www.hatena.ne.jp/{post.author}/">
<meta property="og:title" content="{title}">
<meta property="og:url" content="{url}">
{chrome.hatena_head(rng, description)}
</head>
<body class="page-entry">
<iframe id="globalheader" src="https://blog.hatena.ne.jp/-/globalheader" title="Hatena header" frameborder="0"></iframe>
<div id="container"><header id="blog-title"><h1 id="title"><a href="https://{host}/">{post.author}のノート</a></h1></header>
<div id="content"><div id="main">
<article class="entry hentry js-entry-article">
<header class="entry-header">
<div class="date entry-date first"><time datetime="{post.date}">{post.date[:10]}</time></div>
<h1 class="entry-title"><a href="{url}" class="entry-title-link bookmark">{title}</a></h1>
<div class="entry-categories categories">{cats}</div>
</header>
<div class="entry-content hatenablog-entry">
{body_html(post)}
</div>
<footer class="entry-footer">
<div class="hatena-star-container"><img alt="Add Star" src="/images/add.gif"></div>
<div class="comment-box"><a class="leave-comment-title">コメントを書く</a></div>
</footer>
</article>
<div class="related-entries"><div class="related-entries-title">関連記事</div></div>
</div>
{chrome.hatena_sidebar(rng, host, recent)}
</div></div>
{chrome.hatena_footer()}
</body>
</html>
"""


def hatena_blogsync(post: Post) -> str:
    host, url = _hatena_url(post)
    cats = "\n".join(f"- {t}" for t in post.tags)
    return (f"---\nTitle: {post.title}\nCategory:\n{cats}\nDate: {post.date}\nURL: {url}\n"
            f"EditURL: https://blog.hatena.ne.jp/{post.author}/{host}/atom/entry/{post.slug}\n---\n\n"
            f"[:contents]\n\n{body_markdown(post)}")


def github_md(post: Post) -> str:
    return f"# {post.title}\n\n{body_markdown(post)}"


def qiita_dump(post: Post) -> str:
    lines = ["LoginSignup", "12", "3", "", post.title, "", f"Posted at {post.date[:10]}", *body_text(post),
             "12", "3", "", "Register as a new user and use Qiita more conveniently", "",
             "You get articles that match your needs", "What you can do with signing up", "12", "3"]
    return "\n".join(lines) + "\n"


def hatena_dump(post: Post) -> str:
    lines = ["読者です 読者をやめる 読者になる 読者になる", f"{post.author}のノート", post.date[:10], post.title,
             " ".join(post.tags), *body_text(post), f"{post.author} 2年前 読者になる", "広告を非表示にする",
             "関連記事", "コメントを書く", "プロフィール", "このブログについて"]
    return "\n".join(lines) + "\n"


def github_dump(post: Post) -> str:
    name = f"note-{post.slug}.md"
    lines = ["Skip to content", "Navigation Menu", "Sign in", "Appearance settings", "Search or jump to...",
             f"{post.author} / reading-notes Public", "Code", "Issues", "main", "/", name, "Copy path",
             "Latest commit", "History", f"{len(post.sections) * 6} lines ({len(post.sections) * 5} loc) · 4.1 KB",
             "File metadata and controls", "Preview", "Code", "Blame", "Raw", post.title, *body_text(post),
             "Footer", "© 2024 GitHub, Inc.", "Footer navigation", "Terms", "Privacy"]
    return "\n".join(lines) + "\n"


RENDER = {
    "qiita-api": (qiita_api, ".json"),
    "qiita-html": (qiita_html, ".html"),
    "hatena-html": (hatena_html, ".html"),
    "hatena-blogsync": (hatena_blogsync, ".md"),
    "github-md": (github_md, ".md"),
    "qiita-dump": (qiita_dump, ".txt"),
    "hatena-dump": (hatena_dump, ".txt"),
    "github-dump": (github_dump, ".txt"),
}


def posts(seed: int = 0) -> Iterator[tuple[str, str, str]]:
    """Endless (format, file name, content) triples, cycling through every format."""
    rng = random.Random(seed)
    index = 0
    while True:
        post = make_post(rng, index)
        fmt = FORMATS[index % len(FORMATS)]
        render, ext = RENDER[fmt]
        yield fmt, f"{index:07d}_{fmt}{ext}", render(post)
        index += 1


def generate(out_dir: str | Path, target_bytes: int, seed: int = 0) -> list[Path]:
    """Write posts into `out_dir` (emptied first), 1,000 per subfolder, until they total `target_bytes`."""
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    written: list[Path] = []
    total = 0
    for i, (_fmt, name, content) in enumerate(posts(seed)):
        if total >= target_bytes:
            break
        folder = out / f"{i // 1000:04d}"
        folder.mkdir(exist_ok=True)
        path = folder / name
        data = content.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
        written.append(path)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    files = generate(args.out, int(args.mb * 1_000_000), args.seed)
    print(f"{len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.2f} MB in {args.out}")


if __name__ == "__main__":
    main()
