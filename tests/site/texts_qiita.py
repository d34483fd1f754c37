"""Qiita item bodies (Markdown) for the fixture site; our own short paper-review notes."""

from __future__ import annotations

TRANSFORMER = """\
## はじめに

Transformer の原論文「Attention Is All You Need」（https://arxiv.org/abs/1706.03762 ）を週末に読み直したので、要点をメモしておきます。

## 概要

- RNN も CNN も使わず、自己注意だけで系列変換を行う
- マルチヘッド注意で複数の部分空間を同時に見る
- 位置エンコーディングで語順の情報を補う

## Scaled Dot-Product Attention

```python
import torch


def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    scores = q @ k.transpose(-2, -1) / k.size(-1) ** 0.5
    return scores.softmax(dim=-1) @ v
```

`√d_k` で割るのは、内積の分散が次元とともに大きくなって softmax が飽和するのを防ぐためです。

## 感想

並列化しやすい構造こそが、その後の大規模事前学習につながったのだと改めて感じました。
"""

BERT_ROBERTA = """\
## 読んだ論文

- [BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding](https://arxiv.org/abs/1810.04805)
- [RoBERTa: A Robustly Optimized BERT Pretraining Approach](https://arxiv.org/abs/1907.11692)

## 違いのまとめ

BERT はマスク言語モデルと次文予測（NSP）の二つで事前学習します。
RoBERTa は NSP を外し、動的マスキング・大きなバッチ・長い学習で同じ構造のまま性能を伸ばしました。

## メモ

「構造を変えなくても学習の設定だけでここまで変わる」という点が一番の学びでした。
詳しくは arXiv:1907.11692 の表を見てください。
"""

CLIP_KO = """\
## 논문 정보

- 제목: Learning Transferable Visual Models From Natural Language Supervision
- 링크: https://arxiv.org/abs/2103.00020

## 핵심 아이디어

이미지 인코더와 텍스트 인코더를 대조 학습(contrastive learning)으로 함께 학습합니다.
인터넷에서 모은 4억 쌍의 이미지-텍스트 데이터를 사용했다고 합니다.

```python
logits = image_emb @ text_emb.T * temperature.exp()
loss = (cross_entropy(logits, labels) + cross_entropy(logits.T, labels)) / 2
```

## 느낀 점

라벨 없이도 제로샷 분류가 가능하다는 점이 가장 인상적이었습니다.
"""

VIT = """\
## 論文

An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale
（https://arxiv.org/abs/2010.11929 ）

## ざっくり要約

画像を 16x16 のパッチに切り、各パッチを線形射影してトークン列として Transformer に入れます。
畳み込みを使わなくても、十分に大きなデータで事前学習すれば ResNet（[Deep Residual Learning for Image Recognition](https://arxiv.org/abs/1512.03385)）に並ぶ精度が出る、というのが主張です。

## 気になった点

- データが少ないと帰納バイアスの弱さが効いてくる
- 位置埋め込みは 1 次元でも 2 次元でも大差なし
"""

LORA = """\
## 対象の論文

LoRA: Low-Rank Adaptation of Large Language Models
https://arxiv.org/abs/2106.09685

## 仕組み

事前学習済みの重み W は固定し、差分を低ランク行列の積 BA で表します。
学習するのは A と B だけなので、パラメータ数もメモリも大きく減ります。

```python
h = x @ W.T + (x @ A.T) @ B.T * (alpha / r)
```

## まとめ

推論時には BA を W に足し込めるので、遅延が増えないのが実用上うれしいところです。
"""
