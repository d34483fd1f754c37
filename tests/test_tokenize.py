"""Tokenizers: protected spans, Japanese, Korean, rule, and very long input."""

from __future__ import annotations

from notepipe.tokenize import MAX_CALL_CHARS, protected_spans, rule_tokens, tokenize


def test_japanese_tokens_keep_urls_and_ids_whole() -> None:
    text = "詳細は論文(https://arxiv.org/abs/2004.10934)とarXiv:2007.10909v2を参照。"
    tokens = tokenize(text, "ja")
    assert "https://arxiv.org/abs/2004.10934" in tokens
    assert "arXiv:2007.10909v2" in tokens
    assert "論文" in tokens
    assert tokens[-1] == "。"


def test_korean_tokens_are_surfaces_in_order() -> None:
    text = "YOLOv4(https://arxiv.org/abs/2004.10934)도 그렇고 이 논문들에 대한 생각 author@example.com 참고"
    tokens = tokenize(text, "ko")
    assert "https://arxiv.org/abs/2004.10934" in tokens
    assert tokens[tokens.index("https://arxiv.org/abs/2004.10934") + 1] == ")"
    assert "논문" in tokens
    assert "author@example.com" in tokens
    pos = 0
    for token in tokens:  # every token is a surface substring, in order
        found = text.find(token, pos)
        assert found >= 0, token
        pos = found + len(token)


def test_url_with_balanced_parentheses_and_trailing_punctuation() -> None:
    text = "see https://en.wikipedia.org/wiki/Mish_(function). and (https://example.org/a)."
    urls = [text[s:e] for s, e in protected_spans(text)]
    assert urls == ["https://en.wikipedia.org/wiki/Mish_(function)", "https://example.org/a"]


def test_rule_tokens() -> None:
    assert rule_tokens("Pre-Training, don't 86.9% top-1 self_attn") == [
        "Pre-Training", ",", "don't", "86.9", "%", "top-1", "self", "_attn"]


def test_very_long_single_line_does_not_crash_and_loses_nothing() -> None:
    text = "深層学習の論文を読む" * 80_000  # 800,000 chars in one segment; one fugashi call would segfault
    assert len(text) > 30 * MAX_CALL_CHARS
    tokens = tokenize(text, "ja")
    assert "".join(tokens) == text


def test_long_korean_line_is_chunked() -> None:
    text = "논문을 읽었다. " * 20_000
    tokens = tokenize(text, "ko")
    assert "".join(tokens) == text.replace(" ", "")


def test_whitespace_only_gives_no_tokens() -> None:
    assert tokenize("   \t ", "ja") == []
