"""Locating ../shared/data; skip when absent, but fail in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def shared_data_dir(required: bool = True) -> Path | None:
    env = os.environ.get("DREAMNEXUS_SHARED_DIR")
    candidates = [Path(env) / "data", Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[2] / ".." / "shared" / "data")
    for path in candidates:
        if (path / "dreambank.jsonl.gz").is_file() and (path / "hvdc_norms.csv").is_file():
            return path
    if not required:
        return None
    reason = "shared research data (dreambank.jsonl.gz, hvdc_norms.csv) not found; set DREAMNEXUS_SHARED_DIR"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)
    return None
