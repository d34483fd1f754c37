"""`[papers]` in notepipe.toml: validated like the rest, its hosts in the allowlist, mailto's default."""

from __future__ import annotations

from pathlib import Path

import pytest

from notepipe.config import ConfigError, load_config


@pytest.mark.parametrize(("text", "message"), [
    ('[papers]\nresolve = "yes"\n', "papers.resolve"),
    ('[papers]\narxiv_api = "ftp://export.arxiv.org/api/query"\n', "not an http(s) URL"),
    ('[papers]\nopenalex = "https://api.openalex.org"\n', "papers.openalex: Extra inputs are not permitted"),
    ('[papers]\nmailto = "nobody"\n', "papers.mailto"),
    ('[papers]\narxiv_interval_s = -1\n', "papers.arxiv_interval_s"),
])
def test_bad_papers_settings_name_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "notepipe.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=str(path)) as info:
        load_config(path)
    assert message in str(info.value)


def test_hosts_join_the_allowlist_unless_resolution_is_off_and_mailto_defaults_to_contact(tmp_path: Path) -> None:
    path = tmp_path / "notepipe.toml"
    path.write_text('[http]\ncontact = "me@example.org"\n[papers]\narxiv_api = "http://127.0.0.1:8/api/query"\n',
                    encoding="utf-8")
    config = load_config(path)
    assert config.allowlist() == {"127.0.0.1:8", "api.openalex.org"}
    assert config.mailto() == "me@example.org"
    path.write_text('[http]\ncontact = "https://example.org/about"\n[papers]\nresolve = false\n', encoding="utf-8")
    config = load_config(path)
    assert config.allowlist() == set() and config.mailto() == ""  # a URL contact is no e-mail for OpenAlex
    path.write_text('[http]\ncontact = "me@example.org"\n[papers]\nmailto = "lab@example.org"\n', encoding="utf-8")
    assert load_config(path).mailto() == "lab@example.org"
