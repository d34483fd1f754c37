"""Hatena Blog entry bodies (the inner HTML of div.entry-content); our own short paper-review notes."""

from __future__ import annotations

DDPM = """\
<p>拡散モデルの出発点となった論文を読みました。</p>
<p><a href="https://arxiv.org/abs/2006.11239">Denoising Diffusion Probabilistic Models</a>（arXiv:2006.11239）</p>
<h3 id="概要">概要</h3>
<p>データに少しずつノイズを加える過程を考え、その逆向きの過程をニューラルネットで学習します。<br />
学習の目的は、各ステップで加えられたノイズを予測することに簡略化できます。</p>
<h3 id="実装メモ">実装メモ</h3>
<pre class="code lang-python" data-lang="python" data-unlink>loss = ((eps - model(x_t, t)) ** <span class="synConstant">2</span>).mean()</pre>
<p>サンプリングには 1000 ステップかかるので、後続の研究で高速化が進みました。</p>
"""

COT = """\
<p>プロンプトに推論の途中経過を書かせるだけで精度が上がる、という論文です。</p>
<ul>
<li><a href="https://arxiv.org/abs/2201.11903">Chain-of-Thought Prompting Elicits Reasoning in Large Language Models</a></li>
<li><a href="https://arxiv.org/abs/2205.11916">Large Language Models are Zero-Shot Reasoners</a></li>
</ul>
<h3 id="ポイント">ポイント</h3>
<p>少数の例に思考の過程を添えると、算数の文章題で大きく改善しました。<br />
後者の論文では「ステップごとに考えよう」と一言足すだけでも効果があると報告されています。</p>
"""

MAMBA_DRAFT = """\
<p>まだ読んでいる途中のメモです。公開前の下書き。</p>
<p>Mamba: Linear-Time Sequence Modeling with Selective State Spaces（https://arxiv.org/abs/2312.00752）</p>
<p>状態空間モデルのパラメータを入力に応じて変えるのが鍵らしい。</p>
"""

UNET = """\
<p>セグメンテーションの定番である U-Net を読み返しました。</p>
<p><a href="https://arxiv.org/abs/1505.04597">U-Net: Convolutional Networks for Biomedical Image Segmentation</a></p>
<h3 id="構造">構造</h3>
<p>縮小パスと拡大パスを U 字型につなぎ、同じ解像度の特徴をスキップ接続で渡します。</p>
<pre class="code lang-python" data-lang="python" data-unlink>x = torch.cat([up(x), skip], dim=<span class="synConstant">1</span>)</pre>
<p>少ない学習画像でも強いデータ拡張で十分に学習できる、という点も当時は新鮮でした。</p>
"""

NORMALIZATION = """\
<p>正規化手法の二本を比べました。</p>
<ul>
<li>Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift（https://arxiv.org/abs/1502.03167）</li>
<li>Layer Normalization（https://arxiv.org/abs/1607.06450）</li>
</ul>
<h3 id="違い">違い</h3>
<p>BN はバッチ方向、LN は特徴方向で平均と分散を取ります。系列モデルではバッチに依存しない LN が扱いやすいです。</p>
<h3 id="한국어-요약">한국어 요약</h3>
<p>배치 정규화는 배치 단위로, 레이어 정규화는 샘플 단위로 통계를 계산합니다.</p>
"""

GPT3_KO = """\
<p>GPT-3 논문을 읽고 정리했습니다.</p>
<p><a href="https://arxiv.org/abs/2005.14165">Language Models are Few-Shot Learners</a></p>
<h3 id="요약">요약</h3>
<p>1750억 개의 파라미터를 가진 언어 모델로, 미세 조정 없이 프롬프트에 예시 몇 개만 넣어도 여러 작업을 풀 수 있습니다.</p>
<pre class="code lang-python" data-lang="python" data-unlink>prompt = <span class="synConstant">&quot;번역: cheese =&gt; 치즈</span><span class="synSpecial">\\n</span><span class="synConstant">번역: apple =&gt;&quot;</span></pre>
<p>모델 크기가 커질수록 few-shot 성능이 꾸준히 오른다는 점이 핵심입니다.</p>
"""

ADAM_KO = """\
<p>가장 많이 쓰이는 옵티마이저인 Adam 논문을 다시 봤습니다.</p>
<p>Adam: A Method for Stochastic Optimization (arXiv:1412.6980)</p>
<h3 id="정리">정리</h3>
<p>기울기의 1차 모멘트와 2차 모멘트를 지수 이동 평균으로 추정하고, 초기 편향을 보정합니다.</p>
"""
