"""Evidence before a title: what makes a span a paper (one post shape each, written by us), what never does, the
reviewed paper and its role, paper hosts and arXiv mirrors."""

from __future__ import annotations

import pytest

from notepipe.models import Paper
from notepipe.papers import explain_papers, extract_papers


def _titles(body: str) -> list[str]:
    return [p.title for p in extract_papers(body) if p.title]


def _reviewed(body: str) -> Paper | None:
    found = [p for p in extract_papers(body) if p.role == "reviewed"]
    assert len(found) <= 1
    return found[0] if found else None


# --- false titles: each kind, in a post that does speak of papers ------------------------------------------------
REVIEW_HEAD = "---\ntitle: 論文メモ\n---\n\nこの論文では新しい手法を提案している。\n\n"


@pytest.mark.parametrize(("kind", "body"), [
    ("numbered-section-heading", "## 3.1 Training Objective\n\n損失関数の説明。\n\n## 4.2 Ablation on Depth\n\n深さを変えた。\n"),
    ("all-capitals-heading", "## EXPERIMENTAL SETUP\n\n実験設定。\n\n## RELATED WORK\n\n関連研究。\n"),
    ("plain-heading", "## Cross-Attention Fusion Module\n\nモジュールの説明。\n\n### Multi-Scale Feature Pyramid\n\n説明。\n"),
    ("caption-with-source-link", "Figure 3: Qualitative Results on the Validation Split "
     "([source](https://arxiv.org/abs/2103.00020))\n\n図の説明。\n"),
    ("metric-name", "- Fréchet Inception Distance (FID)\n- Kernel Inception Distance (KID)\n\n指標の説明。\n"),
    ("method-name-bold", "**Layer normalization** を各ブロックの前に入れる。\n\n**Stochastic Depth** も使う。\n"),
    ("shorthand-citation", "この手法は [He+ CVPR16] と [Hu+ CVPR18] を組み合わせたもの。\n"),
    ("configuration-line", "- steps: 1000 backbone: U-Net\n- lr: 0.0001 batch: 64\n"),
    ("english-prose-lines", "We propose a simple method that works well.\n提案手法はシンプル。\n"
     "This is why it works.\nなぜうまくいくのか。\n"),
    ("generic-link-text", "- [open in editor](https://example.org/editor)\n- [original paper (pdf)](https://example.org/p.pdf)\n"
     "- [Paper](https://arxiv.org/abs/1512.03385)\n"),
    ("in-page-anchor", "1. [Introduction and Motivation](#introduction-and-motivation)\n"
     "2. [Experimental Results on Benchmarks](#experimental-results-on-benchmarks)\n"),
    ("product-link-in-references", "## 参考\n\n- [Ruby on Rails](https://rubyonrails.org/)\n- [PyTorch](https://pytorch.org/)\n"),
])
def test_false_title_kinds_are_never_papers(kind: str, body: str) -> None:
    assert _titles(REVIEW_HEAD + body) == [], kind


def test_a_post_not_about_papers_yields_none() -> None:
    body = (
        "# Objective-Cのクラスとメタクラス\n\nクラスオブジェクトの仕組みを整理する。\n\n## Reflection Class\n\n"
        "```objc\nClass cls = [obj class];\n```\n\n- [open in editor](https://example.org/run)\n"
    )
    assert extract_papers(body) == []


def test_rejections_are_explained_with_their_rule() -> None:
    _, verdicts = explain_papers(REVIEW_HEAD + "- Fréchet Inception Distance (FID)\n- [Paper](https://arxiv.org/abs/1512.03385)\n")
    reasons = {v.reason for v in verdicts if not v.accepted}
    assert "generic-link-text" in reasons
    assert all(v.reason for v in verdicts)


# --- the reviewed paper ------------------------------------------------------------------------------------------
REVIEWED = [
    ("front-matter", '---\ntitle: "Learning Transferable Visual Models From Natural Language Supervision"\n---\n\n'
     "## 概要\n\n[arXiv](https://arxiv.org/abs/2103.00020)\n\n画像とテキストを対照学習する論文。\n", "2103.00020"),
    ("first-heading", "# Segment Anything\n\n[paper](https://arxiv.org/abs/2304.02643)\n\n## 1. Introduction\n\n"
     "프롬프트 기반 분할 모델을 제안한 논문.\n", "2304.02643"),
    ("pandoc", "% Scaling Laws for Neural Language Models\n% https://arxiv.org/abs/2001.08361\n% 言語モデル\n\n"
     "## 概要\n\nモデルサイズと損失の関係を調べた論文。\n", "2001.08361"),
    ("arxiv-prefix", "# [arXiv 2005.14165] Language Models are Few-Shot Learners\n\n## 概要\n\n論文の要約。\n",
     "2005.14165"),
    ("bracket-prefix-ja", "# [日本語まとめ] Deep Residual Learning for Image Recognition\n\n## 概要\n\n"
     "残差接続の論文。https://arxiv.org/abs/1512.03385\n", "1512.03385"),
    ("review-label-ja", "---\ntitle: \"論文紹介: Neural Ordinary Differential Equations\"\n---\n\n## 概要\n\n"
     "論文の紹介。\n", None),
    ("review-bracket-ko", "# [논문 리뷰] Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)\n\n"
     "## Abstract\n\n논문 요약.\n", None),
    ("title-field", "## 論文情報\n\n- **Title:** Proximal Policy Optimization Algorithms (arXiv 2017)\n"
     "- **URL:** https://arxiv.org/abs/1707.06347\n\n## 概要\n\n方策勾配の論文。\n", "1707.06347"),
    ("title-section-by-authors", "## Title\n\nGraph Attention Networks by Petar Veličković, Guillem Cucurull\n\n"
     "## Summary\n\n그래프 논문 요약.\n", None),
    ("thesis-field", "Name of the thesis: [Playing Atari with Deep Reinforcement Learning]"
     "(https://arxiv.org/abs/1312.5602)\n\n논문 정리.\n", "1312.5602"),
]


@pytest.mark.parametrize(("kind", "body", "arxiv_id"), REVIEWED, ids=[r[0] for r in REVIEWED])
def test_the_reviewed_paper_is_found_where_the_post_names_it(kind: str, body: str, arxiv_id: str | None) -> None:
    paper = _reviewed(body)
    assert paper is not None, kind
    expected = {
        "front-matter": "Learning Transferable Visual Models From Natural Language Supervision",
        "first-heading": "Segment Anything",
        "pandoc": "Scaling Laws for Neural Language Models",
        "arxiv-prefix": "Language Models are Few-Shot Learners",
        "bracket-prefix-ja": "Deep Residual Learning for Image Recognition",
        "review-label-ja": "Neural Ordinary Differential Equations",
        "review-bracket-ko": "Masked Autoencoders Are Scalable Vision Learners",
        "title-field": "Proximal Policy Optimization Algorithms",
        "title-section-by-authors": "Graph Attention Networks",
        "thesis-field": "Playing Atari with Deep Reinforcement Learning",
    }[kind]
    assert paper.title == expected
    assert paper.arxiv_id == arxiv_id
    assert len(extract_papers(body)) == 1  # the title and its link are one paper


def test_a_post_with_a_japanese_title_has_no_reviewed_paper_from_it() -> None:
    body = "# 【論文紹介】Vision Transformerを読んだ\n\nViTについてまとめる。\n"
    assert _reviewed(body) is None


def test_a_reading_list_post_reviews_no_single_paper() -> None:
    body = (
        "# EMNLP 2020 読み会メモ\n\n"
        "## 1. [Dense Passage Retrieval for Open-Domain Question Answering](https://arxiv.org/abs/2004.04906)\n\n説明。\n\n"
        "## 2. [Language Models as Knowledge Bases?](https://arxiv.org/abs/1909.01066)\n\n説明。\n"
    )
    papers = extract_papers(body)
    assert [p.role for p in papers] == ["cited", "cited"]
    assert [p.arxiv_id for p in papers] == ["2004.04906", "1909.01066"]


def test_a_cited_paper_is_not_taken_for_the_reviewed_one_by_its_position() -> None:
    body = (
        "# Bottom-up Human Pose Estimation via Grouping\n\n先行研究 [Stacked Hourglass](https://arxiv.org/abs/1603.06937) "
        "を使う。\n\n## 参考\n\n- Someone, A., Other, B.: Bottom-up Human Pose Estimation via Grouping. In: ECCV (2020)\n"
    )
    reviewed = _reviewed(body)
    assert reviewed is not None
    assert reviewed.arxiv_id is None  # the link near the top names another paper by its name


# --- paper hosts and arXiv mirrors -------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [
    "https://openreview.net/forum?id=YicbFdNTTy", "https://aclanthology.org/N19-1423/",
    "https://proceedings.mlr.press/v139/radford21a.html", "https://papers.nips.cc/paper/7181-attention",
    "https://proceedings.neurips.cc/paper/2020/hash/abc-Abstract.html",
    "https://openaccess.thecvf.com/content/ICCV2021/html/Liu_Swin.html", "https://ieeexplore.ieee.org/document/1234567",
    "https://dl.acm.org/doi/10.1145/3292500.3330701", "https://doi.org/10.1038/nature14539",
])
def test_link_texts_to_paper_hosts_are_titles(url: str) -> None:
    body = f"この論文を読んだ: [Efficient Estimation of Word Representations in Vector Space]({url})\n"
    assert _titles(body) == ["Efficient Estimation of Word Representations in Vector Space"]


@pytest.mark.parametrize(("mention", "arxiv_id"), [
    ("https://huggingface.co/papers/2312.00752", "2312.00752"),
    ("https://www.alphaxiv.org/abs/2401.04088", "2401.04088"),
    ("https://ar5iv.org/abs/1706.03762", "1706.03762"),
    ("https://ar5iv.labs.arxiv.org/html/1810.04805", "1810.04805"),
    ("https://arxiv.org/html/2402.17764v1", "2402.17764"),
    ("arXiv:2307.09288 [cs.CL]", "2307.09288"),
])
def test_arxiv_mirrors_give_the_arxiv_id(mention: str, arxiv_id: str) -> None:
    papers = extract_papers(f"参考: {mention}\n")
    assert [p.arxiv_id for p in papers] == [arxiv_id]
    linked = extract_papers(f"- [Mamba: Linear-Time Sequence Modeling with Selective State Spaces]({mention})\n"
                            if mention.startswith("http") else f"- Mamba: Linear-Time Sequence Modeling ({mention})\n")
    assert linked[0].arxiv_id == arxiv_id


# --- one entry per paper -----------------------------------------------------------------------------------------
def test_a_parsed_reference_and_its_link_are_one_paper() -> None:
    body = (
        "## References\n\n"
        '- [Vaswani, Ashish, et al. "Attention is all you need." Advances in neural information processing systems '
        "30 (2017).](https://arxiv.org/abs/1706.03762)\n"
        "- Attention is all you need: https://arxiv.org/abs/1706.03762\n"
    )
    papers = extract_papers(body)
    assert len(papers) == 1
    assert (papers[0].title, papers[0].arxiv_id, papers[0].year) == ("Attention is all you need", "1706.03762", 2017)
    assert papers[0].authors == ["Ashish Vaswani"]


@pytest.mark.parametrize("title", [
    "Hugging Face Transformersの使い方",  # a tool named inside a ja title, with no word of reviewing
    "Deep Learning Papers",  # a post that collects papers
    "Weekly Reading Notes on Vision Models",
])
def test_post_titles_that_name_no_single_paper(title: str) -> None:
    body = f"---\ntitle: {title}\n---\n\n論文をいくつか紹介する。\n\n## Introduction\n\n本文。\n"
    assert _reviewed(body) is None


def test_a_paper_title_inside_a_ja_title_with_a_reading_word() -> None:
    body = "---\ntitle: Attention Is All You Needを読む\n---\n\n## 概要\n\n論文の要約。\n"
    reviewed = _reviewed(body)
    assert reviewed is not None
    assert reviewed.title == "Attention Is All You Need"


# --- reading-list shapes -----------------------------------------------------------------------------------------
def test_a_title_over_its_author_line_is_a_reference_paired_with_the_paper_link() -> None:
    body = (
        "### Value-based methods\n\n**(1) DQN**\n\n[Human-level control through deep reinforcement learning]\n\n"
        "Volodymyr Mnih, Koray Kavukcuoglu, David Silver, 2015\n\n"
        "[`NOTE`](./notes/dqn.md) | [`PAPER`](https://www.nature.com/articles/nature14236)\n\n"
        "**(2) Double DQN**\n\n[Deep Reinforcement Learning with Double Q-learning]\n\n"
        "van Hasselt, H., Guez, A., & Silver, D. (2016).\n\n"
        "[`NOTE`](./notes/ddqn.md) | [`PAPER`](https://arxiv.org/abs/1509.06461)\n"
    )
    papers = extract_papers(body)
    assert [(p.title, p.arxiv_id) for p in papers] == [
        ("Human-level control through deep reinforcement learning", None),
        ("Deep Reinforcement Learning with Double Q-learning", "1509.06461"),
    ]
    assert papers[0].authors[0] == "Volodymyr Mnih"


def test_a_list_of_titles_linked_to_their_reviews() -> None:
    entries = [
        ("Mask R-CNN for Object Instance Segmentation", "mask-rcnn"),
        ("Feature Pyramid Networks for Object Detection", "fpn"),
        ("Focal Loss for Dense Object Detection", "focal-loss"),
    ]
    body = "## 읽은 논문\n\n" + "".join(f"[{t}](https://example.org/reviews/{slug}.md) - 김철수\n\n" for t, slug in entries)
    assert _titles(body) == [t for t, _ in entries]
    # Two long links are not a list of papers: blog posts look the same.
    assert _titles("## 링크\n\n" + "".join(f"[{t}](https://example.org/{s})\n\n" for t, s in entries[:2])) == []


def test_link_texts_written_as_title_authors_venue() -> None:
    body = (
        "| # | Paper | Why |\n|---|---|---|\n"
        "| 1 | [Deep Face Recognition: A Survey, Wang and Deng, Neurocomputing 2021](https://arxiv.org/abs/1804.06655) "
        "| 배경 설명 |\n"
        "| 2 | [ArcFace: Additive Angular Margin Loss for Deep Face Recognition, Deng et al., CVPR 2019]"
        "(https://arxiv.org/abs/1801.07698) | 기준 모델 |\n"
    )
    papers = extract_papers(body)
    assert [(p.title, p.arxiv_id, p.venue) for p in papers] == [
        ("Deep Face Recognition: A Survey", "1804.06655", "Neurocomputing"),
        ("ArcFace: Additive Angular Margin Loss for Deep Face Recognition", "1801.07698", "CVPR"),
    ] or [(p.title, p.arxiv_id) for p in papers] == [
        ("Deep Face Recognition: A Survey", "1804.06655"),
        ("ArcFace: Additive Angular Margin Loss for Deep Face Recognition", "1801.07698"),
    ]


def test_a_topic_item_over_its_references_is_not_a_title() -> None:
    body = (
        "## 次に読むべき論文は?\n\n- Keypoint detectors[3, 12]\n\n"
        "  - Zhe Cao, Tomas Simon, and Yaser Sheikh. 2017. Realtime Multi-Person 2D Pose Estimation using Part "
        "Affinity Fields. In CVPR.\n"
    )
    assert _titles(body) == ["Realtime Multi-Person 2D Pose Estimation using Part Affinity Fields"]


def test_a_model_name_glossing_a_title_is_dropped() -> None:
    body = "- [Attention Is All You Need (Transformer)](https://arxiv.org/abs/1706.03762)\n"
    assert [(p.title, p.arxiv_id) for p in extract_papers(body)] == [("Attention Is All You Need", "1706.03762")]


def test_a_date_over_a_paper_link_is_not_its_title() -> None:
    body = "論文メモ。\n\nMarch 3, 2021\nhttps://arxiv.org/abs/2103.00020\n"
    assert [(p.title, p.arxiv_id) for p in extract_papers(body)] == [(None, "2103.00020")]


def test_a_title_line_over_a_labelled_author_line() -> None:
    body = (
        "생성 모델 논문 읽기 목록.\n\n"
        "🔖 Generative Adversarial Networks (GAN)\n저자/연도: Ian Goodfellow, Jean Pouget-Abadie, Mehdi Mirza (2014)\n\n"
        "의의: 적대적 학습의 시작.\n\n"
        "🔖 Auto-Encoding Variational Bayes\n저자/연도: Diederik P. Kingma, Max Welling (2013)\n\n의의: VAE.\n"
    )
    papers = extract_papers(body)
    assert [(p.title, p.year) for p in papers] == [
        ("Generative Adversarial Networks", 2014), ("Auto-Encoding Variational Bayes", 2013)]
    assert papers[1].authors == ["Diederik P. Kingma", "Max Welling"]


def test_a_heading_over_its_paper_box_table() -> None:
    body = (
        "## Learning to Summarize from Human Feedback\n\n"
        "항목 | 내용\n:---: | ---\n저자 | *Nisan Stiennon, Long Ouyang*, OpenAI\n논문 | <https://arxiv.org/abs/2009.01325>\n\n"
        "요약 본문.\n"
    )
    assert [(p.title, p.arxiv_id) for p in extract_papers(body)] == [
        ("Learning to Summarize from Human Feedback", "2009.01325")]


def test_a_title_cased_title_with_and_is_no_author_list() -> None:
    body = "# Towards Efficient and Scalable Sharpness-Aware Minimization\n\n[paper](https://arxiv.org/abs/2203.02714)\n\n## 概要\n\n論文の要約。\n"
    reviewed = _reviewed(body)
    assert reviewed is not None
    assert (reviewed.title, reviewed.arxiv_id) == ("Towards Efficient and Scalable Sharpness-Aware Minimization", "2203.02714")
