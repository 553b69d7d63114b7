"""docs/api.md stays true: it lists every operation of the OpenAPI document."""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_every_operation_is_documented(app) -> None:  # type: ignore[no-untyped-def]
    text = DOC.read_text(encoding="utf-8")
    missing = [
        f"{method.upper()} {path}"
        for path, item in app.openapi()["paths"].items()
        for method in item
        if f"| {method.upper()} | `{path}` |" not in text
    ]
    assert not missing, f"docs/api.md does not list: {missing}"
