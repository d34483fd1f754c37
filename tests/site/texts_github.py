"""Files of the GitHub fixture repository ko-reader/paper-notes; our own short paper-review notes."""

from __future__ import annotations

import struct
import zlib

README = """\
# paper-notes

머신러닝 논문을 읽고 남긴 리뷰 모음입니다. 日本語のメモも少しあります。

- reviews/2025-01-vit.md
- reviews/2025-02-lora.md
- reviews/日本語/clip.md
"""

VIT_KO = """\
# ViT 논문 리뷰: An Image is Worth 16x16 Words

- 논문: https://arxiv.org/abs/2010.11929
- 비교 대상: Deep Residual Learning for Image Recognition (https://arxiv.org/abs/1512.03385)

## 요약

이미지를 16x16 패치로 나누고 각 패치를 토큰처럼 Transformer에 넣습니다.
대규모 데이터로 사전 학습하면 CNN 없이도 좋은 성능을 낸다는 것이 핵심입니다.

## 생각

데이터가 적을 때는 여전히 CNN의 귀납적 편향이 유리해 보입니다.
"""

LORA_KO = """\
# LoRA 논문 리뷰

LoRA: Low-Rank Adaptation of Large Language Models ([arXiv:2106.09685](https://arxiv.org/abs/2106.09685))

## 방법

사전 학습된 가중치는 고정하고, 변화량을 두 개의 저랭크 행렬 곱으로 학습합니다.

```python
delta_w = lora_b @ lora_a  # (d, r) @ (r, k)
```

## 장점

학습할 파라미터 수가 크게 줄고, 추론할 때는 가중치에 합쳐서 지연이 없습니다.
"""

CLIP_JA = """\
# CLIP 論文メモ

Learning Transferable Visual Models From Natural Language Supervision
https://arxiv.org/abs/2103.00020

## 要点

画像と文章の埋め込みを対照学習で揃えることで、ラベルなしでもゼロショット分類ができるようになります。

## 感想

プロンプトの書き方ひとつで精度が変わるのが面白いところです。
"""

TOOL_PY = """\
\"\"\"Count the reviews in this repository.\"\"\"

from pathlib import Path


def main() -> None:
    print(len(list(Path("reviews").rglob("*.md"))))


if __name__ == "__main__":
    main()
"""


def tiny_png() -> bytes:
    """A valid 1x1 white PNG, built here so the fixture carries no binary file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff", 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
