"""Hand-labelled post snippets (our own sentences) for the paper-mention extractor: one pattern or trap each."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    """A body and the papers it mentions: titles, IDs, and (title, ID) pairs the post makes."""

    name: str
    body: str
    titles: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)


CASES: list[Case] = [
    # --- quoted title + authors + venue -------------------------------------------------------------
    Case(
        "quoted-authors-venue-ja",
        '【第3位】: "Deep Residual Learning for Image Recognition", He, K., CVPR2016\n\n'
        "残差接続を導入した有名な論文です。今でも多くのモデルで使われています。\n",
        titles=["Deep Residual Learning for Image Recognition"],
    ),
    Case(
        "quoted-missing-open-quote",
        '■ 第2位: Squeeze-and-Excitation Networks", Hu, J., CVPR2018\n\nチャネル方向の注意機構。\n',
        titles=["Squeeze-and-Excitation Networks"],
    ),
    Case(
        "quoted-bold-comma-inside",
        '### 論文 Mingxing Tan and Quoc V. Le (Google Research), "**MnasNet: Platform-Aware Neural '
        'Architecture Search for Mobile**," CVPR2019. ### 概要 モバイル向けのNAS。\n',
        titles=["MnasNet: Platform-Aware Neural Architecture Search for Mobile"],
    ),
    Case(
        "quoted-bib-arxiv",
        '참고: Zhong, Zhun, et al. "Re-ranking Person Re-identification with k-reciprocal Encoding." '
        "arXiv preprint arXiv:1701.08398 (2017).\n",
        titles=["Re-ranking Person Re-identification with k-reciprocal Encoding"],
        ids=["1701.08398"],
        pairs=[("Re-ranking Person Re-identification with k-reciprocal Encoding", "1701.08398")],
    ),
    Case(
        "quoted-curly-ko",
        "오늘 읽은 논문은 “Language Models are Few-Shot Learners”라는 논문이다. 파라미터가 엄청 많다.\n",
        titles=["Language Models are Few-Shot Learners"],
    ),
    # --- emphasis / blockquote ----------------------------------------------------------------------
    Case(
        "blockquote-emphasis",
        "> *Layer Normalization*  \n> - どんなもの?\n>   - バッチに依存しない正規化\n> - 次に読むべき論文は?\n"
        ">   - Instance Normalization: The Missing Ingredient for Fast Stylization\n",
        titles=["Layer Normalization", "Instance Normalization: The Missing Ingredient for Fast Stylization"],
    ),
    Case(
        "bold-lead-list-venue",
        "## 読んだ論文\n\n1. **Masked Autoencoders Are Scalable Vision Learners** (CVPR 2022) "
        "[[paper]](https://arxiv.org/abs/2111.06377)\n   - 画像の75%をマスクして復元する。\n",
        titles=["Masked Autoencoders Are Scalable Vision Learners"],
        ids=["2111.06377"],
        pairs=[("Masked Autoencoders Are Scalable Vision Learners", "2111.06377")],
    ),
    # --- title line + comment line ------------------------------------------------------------------
    Case(
        "title-then-comment-ja",
        "最近読んだものを並べておく。\nDropout: A Simple Way to Prevent Neural Networks from Overfitting\n"
        "ランダムにユニットを落とすだけ。\nMixed Precision Training\nFP16で学習してもFP32並みの精度が出る。\n"
        "Decoupled Weight Decay Regularization\nAdamWの元論文。weight decayの掛け方を修正。\n",
        titles=[
            "Dropout: A Simple Way to Prevent Neural Networks from Overfitting",
            "Mixed Precision Training",
            "Decoupled Weight Decay Regularization",
        ],
    ),
    Case(
        "title-then-comment-ko-wrapped",
        "이번 주에 본 논문들.\nTraining data-efficient image transformers and distillation through\nattention\n"
        "ViT를 ImageNet만으로 학습시키는 방법. distillation token이 핵심.\n",
        titles=["Training data-efficient image transformers and distillation through attention"],
    ),
    # --- URL line + title line (and the reverse) ----------------------------------------------------
    Case(
        "url-then-title-ko",
        "https://arxiv.org/abs/2103.00020\n\nLearning Transferable Visual Models From Natural Language "
        "Supervision (Alec Radford, Jong Wook Kim, Chris Hallacy)\n\n이미지와 텍스트를 대조 학습.\n\n"
        "https://arxiv.org/abs/2102.12092\n\nZero-Shot Text-to-Image Generation (Aditya Ramesh, Mikhail Pavlov)\n\n"
        "dVAE와 transformer로 이미지 생성.\n",
        titles=[
            "Learning Transferable Visual Models From Natural Language Supervision",
            "Zero-Shot Text-to-Image Generation",
        ],
        ids=["2102.12092", "2103.00020"],
        pairs=[
            ("Learning Transferable Visual Models From Natural Language Supervision", "2103.00020"),
            ("Zero-Shot Text-to-Image Generation", "2102.12092"),
        ],
    ),
    Case(
        "title-then-url-ja",
        "Denoising Diffusion Probabilistic Models\nhttps://arxiv.org/abs/2006.11239\n\n拡散モデルの基本。\n\n"
        "Score-Based Generative Modeling through Stochastic Differential Equations\n"
        "https://arxiv.org/abs/2011.13456\n\nSDEで統一的に扱う。\n",
        titles=[
            "Denoising Diffusion Probabilistic Models",
            "Score-Based Generative Modeling through Stochastic Differential Equations",
        ],
        ids=["2006.11239", "2011.13456"],
        pairs=[
            ("Denoising Diffusion Probabilistic Models", "2006.11239"),
            ("Score-Based Generative Modeling through Stochastic Differential Equations", "2011.13456"),
        ],
    ),
    # --- inline Title(URL) ----------------------------------------------------------------------------
    Case(
        "inline-title-url-ko",
        "이런 접근은 Deformable Convolutional Networks(https://arxiv.org/abs/1703.06211)에서도 봤다. "
        "GPT(https://arxiv.org/abs/2005.14165)도 마찬가지.\n",
        titles=["Deformable Convolutional Networks"],
        ids=["1703.06211", "2005.14165"],
        pairs=[("Deformable Convolutional Networks", "1703.06211")],
    ),
    Case(
        "inline-title-space-url-ja",
        "詳しくは Feature Pyramid Networks for Object Detection (https://arxiv.org/abs/1612.03144) を参照。\n",
        titles=["Feature Pyramid Networks for Object Detection"],
        ids=["1612.03144"],
        pairs=[("Feature Pyramid Networks for Object Detection", "1612.03144")],
    ),
    # --- links, headings ------------------------------------------------------------------------------
    Case(
        "heading-link-venue",
        "# EMNLP 2020 読み会メモ\n\n## 1. [Dense Passage Retrieval for Open-Domain Question Answering]"
        "(https://arxiv.org/abs/2004.04906) (EMNLP 2020)\n\nBM25をdual encoderで置き換える。\n",
        titles=["Dense Passage Retrieval for Open-Domain Question Answering"],
        ids=["2004.04906"],
        pairs=[("Dense Passage Retrieval for Open-Domain Question Answering", "2004.04906")],
    ),
    Case(
        "generic-link-texts",
        "元論文は [arxiv](https://arxiv.org/abs/1810.04805) と [paper](https://arxiv.org/pdf/1910.10683v3.pdf)、"
        "それから [https://arxiv.org/abs/1907.11692](https://arxiv.org/abs/1907.11692) です。\n",
        ids=["1810.04805", "1907.11692", "1910.10683"],
    ),
    Case(
        "setext-heading",
        "Neural Machine Translation by Jointly Learning to Align and Translate\n"
        "=====================================================================\n\n"
        "attentionを初めて翻訳に入れた論文。\n",
        titles=["Neural Machine Translation by Jointly Learning to Align and Translate"],
    ),
    Case(
        "front-matter",
        '---\ntitle: "【論文紹介】Attention Is All You Need"\ntags: [NLP]\n---\n\n'
        "# 概要\n\nRNNを使わずattentionだけで翻訳する。\n",
        titles=["Attention Is All You Need"],
    ),
    Case(
        "admonition-fields",
        '!!! info "論文情報"\n    - **Title:** Swin Transformer: Hierarchical Vision Transformer using Shifted Windows\n'
        "    - **Authors:** Ze Liu, Yutong Lin, Yue Cao\n    - **Venue:** ICCV 2021\n"
        "    - **arXiv:** https://arxiv.org/abs/2103.14030\n\n窓をずらしながら注意を計算する。\n",
        titles=["Swin Transformer: Hierarchical Vision Transformer using Shifted Windows"],
        ids=["2103.14030"],
        pairs=[("Swin Transformer: Hierarchical Vision Transformer using Shifted Windows", "2103.14030")],
    ),
    Case(
        "ko-fields",
        "## 논문 정보\n- 제목: Momentum Contrast for Unsupervised Visual Representation Learning\n"
        "- 저자: Kaiming He, Haoqi Fan, Yuxin Wu\n- 학회: CVPR 2020\n\n큐를 이용해 negative를 많이 확보한다.\n",
        titles=["Momentum Contrast for Unsupervised Visual Representation Learning"],
    ),
    Case(
        "table-title-column",
        "| 論文 | 会議 | メモ |\n|---|---|---|\n| Generative Adversarial Nets | NeurIPS 2014 | GANの原点 |\n"
        "| Wasserstein GAN | ICML 2017 | 距離を変えた |\n",
        titles=["Generative Adversarial Nets", "Wasserstein GAN"],
    ),
    Case(
        "table-row-with-arxiv",
        "| 手法 | 論文 | 一言 |\n|---|---|---|\n| YOLO | You Only Look Once: Unified, Real-Time Object Detection "
        "| [arXiv](https://arxiv.org/abs/1506.02640) |\n",
        titles=["You Only Look Once: Unified, Real-Time Object Detection"],
        ids=["1506.02640"],
        pairs=[("You Only Look Once: Unified, Real-Time Object Detection", "1506.02640")],
    ),
    # --- bibliography strings -----------------------------------------------------------------------
    Case(
        "bib-unquoted-initials",
        "## 参考文献\n\n1. A. Vaswani, N. Shazeer, ... Attention is all you need. arXiv:1706.03762, 2017.\n"
        "2. Zhe Cao, ... 2017. Realtime Multi-Person 2D Pose Estimation using Part Affinity Fields. In CVPR.\n",
        titles=["Attention is all you need", "Realtime Multi-Person 2D Pose Estimation using Part Affinity Fields"],
        ids=["1706.03762"],
        pairs=[("Attention is all you need", "1706.03762")],
    ),
    Case(
        "bib-footnote",
        "この手法はよく使われる[^1]。\n\n[^1]: Kaiming He, Xiangyu Zhang, Shaoqing Ren, and Jian Sun. "
        "Identity mappings in deep residual networks. In ECCV, 2016.\n",
        titles=["Identity mappings in deep residual networks"],
    ),
    # --- dedup and ID forms -------------------------------------------------------------------------
    Case(
        "dedup-case-insensitive",
        '原論文 "Big Bird: Transformers for Longer Sequences", Zaheer, M., NeurIPS2020\n\n'
        "解説 BIG BIRD: TRANSFORMERS FOR LONGER SEQUENCES を読んだ\n\n"
        '画像: "Big Bird: Transformers for Longer Sequences", Zaheer, M., NeurIPS2020\n',
        titles=["Big Bird: Transformers for Longer Sequences"],
    ),
    Case(
        "id-forms",
        "arXiv:1512.03385v1 / arxiv.org/pdf/1409.1556v6.pdf / https://export.arxiv.org/abs/1502.03167 / "
        "ar5iv.labs.arxiv.org/html/1505.04597 / https://ar5iv.org/abs/1406.2661 / alphaxiv.org/abs/2312.00752 / "
        "https://huggingface.co/papers/2307.09288 / https://doi.org/10.48550/arXiv.2305.18290 / arXiv 1312.6114 / "
        "hep-th/9901001 / arXiv:math.GT/0309136 / https://arxiv.org/abs/cs/0112017v1\n",
        ids=[
            "1312.6114",
            "1406.2661",
            "1409.1556",
            "1502.03167",
            "1505.04597",
            "1512.03385",
            "2305.18290",
            "2307.09288",
            "2312.00752",
            "cs/0112017",
            "hep-th/9901001",
            "math/0309136",
        ],
    ),
    # --- rejections ---------------------------------------------------------------------------------
    Case(
        "reject-numbers",
        "精度は2013.12345ではなく、バージョン 1.2.3 と 3.10 を使った。2020.06.15に公開。DOIは "
        "10.1109/CVPR.2016.90 で、ID 1706.03762 だけを書いても arXiv 文脈がない。arXiv:2013.12345 も無効。\n",
    ),
    Case(
        "reject-file-paths",
        "![図](images/perceiverIO_2107.14795.png)\nメモは notes/2107.14795.md と perceiverIO_2107.14795.md にある。\n",
    ),
    Case(
        "reject-chrome",
        "LoginSignup\n\nMore than 2 years have passed since last update.\n\n論文まとめ\n\n"
        "Last updated at Posted at 2021-03-01\n\nRegister as a new user and use Qiita more conveniently\n"
        "You get articles that match your needs\nYou can efficiently read back useful information\n"
        "What you can do with signing up\nSkip to content\nFile metadata and controls\n93 lines (46 loc) · 7.53 KB\n",
    ),
    Case(
        "reject-section-headings-and-prose",
        "## Introduction\n\n## Related Work\n\n背景の説明。\n\nModel Architecture\n全体の構成を説明する。\n"
        "We propose a simple method that works well.\n提案手法はシンプル。\n"
        "## Experiments\n\n実験結果。\n\nThis is why it works.\nなぜうまくいくのか。\n",
    ),
    Case(
        "reject-names-and-tools",
        "PyTorch\nで実装した。\nBERT\nを使う。\nself-supervised pretraining + DETR\nという構成。\n"
        "Figure 3: Overview of the proposed method\n図3の説明。\n",
    ),
    Case(
        "reject-blog-post-title",
        "# 【論文紹介】Vision Transformerを読んだ\n\nViTについてまとめる。\n\n"
        "200726 Thoughts on recent papers\n\n最近の論文の感想。\n",
    ),
    Case(
        "code-fence-ignored",
        '実装例:\n\n```python\n# Attention Is All You Need\ntitle = "Deep Residual Learning for Image Recognition"\n'
        "print('arXiv:1706.03762')\n```\n\n以上。\n",
        ids=["1706.03762"],
    ),
    Case(
        "hatena-title-link",
        "## 読んだ論文\n\n- [https://arxiv.org/abs/2106.09685:title=LoRA: Low-Rank Adaptation of Large Language Models]\n"
        "[https://arxiv.org/abs/2305.14314:embed:cite]\n",
        titles=["LoRA: Low-Rank Adaptation of Large Language Models"],
        ids=["2106.09685", "2305.14314"],
        pairs=[("LoRA: Low-Rank Adaptation of Large Language Models", "2106.09685")],
    ),
    Case(
        "ko-etal-authors-url-line",
        "https://arxiv.org/abs/2201.03545\n\nA ConvNet for the 2020s (Zhuang Liu 외)\n\n"
        "ViT의 설계를 ResNet에 하나씩 적용해 본 논문.\n",
        titles=["A ConvNet for the 2020s"],
        ids=["2201.03545"],
        pairs=[("A ConvNet for the 2020s", "2201.03545")],
    ),
    Case(
        "ko-fields-link-choice",
        "- 제목: Denoising Diffusion Implicit Models\n- 링크: https://arxiv.org/abs/2010.02502\n"
        "- 선행 연구: [Denoising Diffusion Probabilistic Models](https://arxiv.org/abs/2006.11239)\n",
        titles=["Denoising Diffusion Implicit Models", "Denoising Diffusion Probabilistic Models"],
        ids=["2006.11239", "2010.02502"],
        pairs=[
            ("Denoising Diffusion Implicit Models", "2010.02502"),
            ("Denoising Diffusion Probabilistic Models", "2006.11239"),
        ],
    ),
    Case(
        "reject-front-matter-model-names",
        '---\ntitle: "BERT와 GPT 비교 정리"\n---\n\n두 모델의 차이를 정리했다.\n',
    ),
    Case(
        "reject-code-like-and-handles",
        "設定メモ\nif use_ema: model = ema_model\nEMAを使う場合。\n@some_user(Some User)\nのコメントより。\n",
    ),
    Case(
        "heading-short-title-with-link",
        "### Layer Normalization\n[https://arxiv.org/abs/1607.06450:title]\n- 特徴方向で正規化する\n",
        titles=["Layer Normalization"],
        ids=["1607.06450"],
        pairs=[("Layer Normalization", "1607.06450")],
    ),
    Case(
        "korean-glued-id",
        "YOLOv4(https://arxiv.org/abs/2004.10934)도 그렇고 Scaled-YOLOv4(arXiv:2011.08036)도 비슷하다.\n",
        ids=["2004.10934", "2011.08036"],
    ),
]
