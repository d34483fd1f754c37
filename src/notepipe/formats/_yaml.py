"""YAML front matter: libyaml's loader where PyYAML was built with it (10x faster), the pure-Python one otherwise."""

from __future__ import annotations

from typing import Any

import yaml

_FAST: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)


def safe_load(text: str) -> Any:
    """`yaml.safe_load`, faster; raises `yaml.YAMLError` only where the pure-Python loader does too."""
    if _FAST is not None:
        try:
            return yaml.load(text, Loader=_FAST)
        except yaml.YAMLError:
            pass  # libyaml is stricter on a few hand-edited headers: let the reference loader decide
    return yaml.safe_load(text)
