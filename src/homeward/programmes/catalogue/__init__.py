"""The programme templates shipped with Homeward, one YAML file each, citing their seed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


def names() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.yaml"))


def read(name_or_path: str) -> Any:
    """A shipped template by name, or any YAML/JSON file by path (JSON is YAML)."""
    path = HERE / f"{name_or_path}.yaml"
    if not path.exists():
        path = Path(name_or_path)
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
