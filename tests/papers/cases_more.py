"""Second batch of hand-labelled snippets: realistic whole-post fragments (our own sentences)."""

from __future__ import annotations

from cases import Case

# A second batch written after the rules, as realistic whole-post fragments; its first-run score is in the
# issue note (the rules were then adjusted only where a miss showed a general gap, never to a string here).
MORE_CASES: list[Case] = [
    Case(
        "qiita-review-ja",
        "# はじめに\n\n今回は物体検出の論文を読んだのでまとめます。\n\n"
        "## 論文情報\n\n- タイトル: Focal Loss for Dense Object Detection\n- 著者: Tsung-Yi Lin, Priya Goyal\n"
        "- 学会: ICCV 2017\n- URL: https://arxiv.org/abs/1708.02002\n\n"
        "## どんなもの?\n\nクラス不均衡に対処する損失関数を提案。\n\n"
        "## 次に読むべき論文は?\n\n- Feature Pyramid Networks for Object Detection\n"
        "- Mask R-CNN\n",
        titles=["Focal Loss for Dense Object Detection", "Feature Pyramid Networks for Object Detection", "Mask R-CNN"],
        ids=["1708.02002"],
        pairs=[("Focal Loss for Dense Object Detection", "1708.02002")],
    ),
    Case(
        "hatena-weekly-ja",
        "今週読んだ論文\n\nEfficientDet: Scalable and Efficient Object Detection\n"
        "BiFPNとcompound scalingで検出器を効率化。\n\nRandAugment: Practical automated data augmentation with a "
        "reduced search space\n探索空間を2つのパラメータに減らした。\n\n"
        "感想\n\nどちらもGoogleの論文で、スケーリングの考え方が共通している。\n",
        titles=[
            "EfficientDet: Scalable and Efficient Object Detection",
            "RandAugment: Practical automated data augmentation with a reduced search space",
        ],
    ),
    Case(
        "github-notes-ko",
        "# Paper Notes\n\n## [Deep Networks with Stochastic Depth](https://arxiv.org/abs/1603.09382)\n\n"
        "- 학습 시 레이어를 랜덤하게 건너뛴다.\n- 테스트 때는 전부 사용.\n\n"
        "## [Densely Connected Convolutional Networks](https://arxiv.org/abs/1608.06993) (CVPR 2017)\n\n"
        "- 모든 레이어를 연결. [code](https://github.com/liuzhuang13/DenseNet)\n",
        titles=["Deep Networks with Stochastic Depth", "Densely Connected Convolutional Networks"],
        ids=["1603.09382", "1608.06993"],
        pairs=[
            ("Deep Networks with Stochastic Depth", "1603.09382"),
            ("Densely Connected Convolutional Networks", "1608.06993"),
        ],
    ),
    Case(
        "ko-blog-inline-mix",
        "요즘 contrastive learning 논문을 몰아서 읽고 있다. 처음은 SimCLR(arXiv:2002.05709)였고 그 다음은 "
        "Bootstrap Your Own Latent: A New Approach to Self-Supervised Learning(https://arxiv.org/abs/2006.07733)이다. "
        "negative 없이도 학습이 된다는 게 신기했다.\n",
        titles=["Bootstrap Your Own Latent: A New Approach to Self-Supervised Learning"],
        ids=["2002.05709", "2006.07733"],
        pairs=[("Bootstrap Your Own Latent: A New Approach to Self-Supervised Learning", "2006.07733")],
    ),
    Case(
        "ja-ranking-quotes",
        '【第1位】: "Learning to Summarize from Human Feedback", Stiennon, N., NeurIPS2020\n\n'
        "人間のフィードバックで要約モデルを学習。\n\n項目 リンク\n"
        '原論文 "Learning to Summarize from Human Feedback", Stiennon, N., Ouyang, L., (NeurIPS2020)\n'
        "解説記事 人間の好みを学習する要約モデルを解説!\n",
        titles=["Learning to Summarize from Human Feedback"],
    ),
    Case(
        "ja-bib-references",
        "## 参考文献\n\n[1] Ilya Loshchilov and Frank Hutter. SGDR: Stochastic Gradient Descent with Warm Restarts. "
        "In ICLR, 2017.\n[2] Leslie N. Smith. Cyclical Learning Rates for Training Neural Networks. In WACV, 2017.\n"
        "[3] https://pytorch.org/docs/stable/optim.html\n",
        titles=[
            "SGDR: Stochastic Gradient Descent with Warm Restarts",
            "Cyclical Learning Rates for Training Neural Networks",
        ],
    ),
    Case(
        "ja-table-papers",
        "| # | Title | Venue | Link |\n|:-:|---|---|---|\n"
        "| 1 | Learning Deep Features for Discriminative Localization | CVPR 2016 | [arXiv](https://arxiv.org/abs/1512.04150) |\n"
        "| 2 | Grad-CAM: Visual Explanations from Deep Networks via Gradient-based Localization | ICCV 2017 | "
        "[arXiv](https://arxiv.org/abs/1610.02391) |\n",
        titles=[
            "Learning Deep Features for Discriminative Localization",
            "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based Localization",
        ],
        ids=["1512.04150", "1610.02391"],
        pairs=[
            ("Learning Deep Features for Discriminative Localization", "1512.04150"),
            ("Grad-CAM: Visual Explanations from Deep Networks via Gradient-based Localization", "1610.02391"),
        ],
    ),
    Case(
        "ko-review-fields-bold",
        "**논문:** [Rethinking the Inception Architecture for Computer Vision](https://arxiv.org/abs/1512.00567)  \n"
        "**저자:** Christian Szegedy 외  \n\nlabel smoothing이 처음 소개된 논문.\n",
        titles=["Rethinking the Inception Architecture for Computer Vision"],
        ids=["1512.00567"],
        pairs=[("Rethinking the Inception Architecture for Computer Vision", "1512.00567")],
    ),
    Case(
        "negatives-ja-post",
        "# 環境構築メモ\n\nPython 3.10 と PyTorch 2.1 を使う。\n\n## Installation\n\n```bash\npip install torch\n```\n\n"
        "Getting Started\nまずはチュートリアルを動かす。\n\nNote that this only works on Linux.\nLinuxのみ対応。\n"
        "Please refer to the official documentation for details.\n詳しくは公式ドキュメントを参照。\n",
    ),
    Case(
        "negatives-ko-post",
        "## 결과\n\nImageNet Top-1 Accuracy\n표로 정리하면 다음과 같다.\n\nBatch Size 256\n"
        "학습률은 0.1로 시작.\n\n버전 2107.1479와 2023.10.05 날짜는 ID가 아니다.\n",
    ),
    Case(
        "emph-summary-ko",
        "> **Vision Transformers Need Registers**\n> - 어떤 논문?\n>   - attention map의 artifact를 없애는 register token\n",
        titles=["Vision Transformers Need Registers"],
    ),
    Case(
        "url-list-ja-with-comments",
        "- https://arxiv.org/abs/2203.02155\n  - Training language models to follow instructions with human feedback\n"
        "  - InstructGPTの論文。\n- https://arxiv.org/abs/2204.05862\n"
        "  - Training a Helpful and Harmless Assistant with Reinforcement Learning from Human Feedback\n"
        "  - Anthropicの論文。\n",
        titles=[
            "Training language models to follow instructions with human feedback",
            "Training a Helpful and Harmless Assistant with Reinforcement Learning from Human Feedback",
        ],
        ids=["2203.02155", "2204.05862"],
        pairs=[
            ("Training language models to follow instructions with human feedback", "2203.02155"),
            (
                "Training a Helpful and Harmless Assistant with Reinforcement Learning from Human Feedback",
                "2204.05862",
            ),
        ],
    ),
]
