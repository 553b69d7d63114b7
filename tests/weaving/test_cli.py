"""`dreamnexus weave` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from click.testing import CliRunner

from dreamnexus.cli.weave import weave_command


def _write(path: Path, records: list[dict], extra_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(r) for r in records] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_is_a_plain_command_named_weave() -> None:
    assert isinstance(weave_command, click.Command) and not isinstance(weave_command, click.Group)
    assert weave_command.name == "weave"


def test_json_output_is_a_weave(tmp_path: Path, make_corpus) -> None:
    records = make_corpus(40)
    for r in records:
        r["note"] = "extra fields are ignored"
    src = _write(tmp_path / "in.jsonl", records)
    result = CliRunner().invoke(weave_command, [str(src), "--size", "5", "--seed", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["passages"]) == 5 and data["seed"] == 3
    assert {s["contribution_id"] for p in data["passages"] for s in p["sources"]} <= {
        r["id"] for r in records
    }
    again = CliRunner().invoke(weave_command, [str(src), "--size", "5", "--seed", "3"])
    assert again.stdout == result.stdout


def test_group_field_and_output_file(tmp_path: Path, make_corpus) -> None:
    records = make_corpus(30)
    for i, r in enumerate(records):
        r["region"] = ("alps", "coast")[i % 2]
    src = _write(tmp_path / "in.jsonl", records)
    out = tmp_path / "weave.json"
    result = CliRunner().invoke(weave_command, [str(src), "--group-field", "region", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert set(json.loads(out.read_text())["representation"]) == {"alps", "coast"}


def test_markdown_and_html_formats(tmp_path: Path, make_corpus) -> None:
    records = make_corpus(20)
    records[0]["text"] = "I was in a <b>bold</b> dream with my aunt and a tiger in the garden."
    src = _write(tmp_path / "in.jsonl", records)
    md = CliRunner().invoke(weave_command, [str(src), "--format", "md", "--size", "20"])
    assert md.exit_code == 0 and md.stdout.startswith("# ")
    html = CliRunner().invoke(weave_command, [str(src), "--format", "html", "--size", "20"])
    assert html.exit_code == 0 and html.stdout.startswith("<article")
    assert "<b>bold" not in html.stdout


def test_bad_lines_are_reported_with_numbers(tmp_path: Path, make_corpus) -> None:
    records = make_corpus(5)
    src = _write(
        tmp_path / "in.jsonl",
        records,
        (
            '{"id": "x", "author": "a"',
            '{"id": "y", "text": "no author"}',
            '{"id": "z", "author": "b", "text": "t", "trust": 3}',
        ),
    )
    result = CliRunner().invoke(weave_command, [str(src)])
    assert result.exit_code != 0
    assert "line 6" in result.stderr and "invalid JSON" in result.stderr
    assert "line 7" in result.stderr and "author" in result.stderr
    assert "line 8" in result.stderr and "trust" in result.stderr
    assert result.stdout == ""


def test_missing_input_file_fails(tmp_path: Path) -> None:
    result = CliRunner().invoke(weave_command, [str(tmp_path / "nope.jsonl")])
    assert result.exit_code != 0


def test_polish_failure_keeps_the_extractive_weave(tmp_path: Path, make_corpus, monkeypatch) -> None:
    import httpx

    import dreamnexus.weaving.polish as polish

    real_client = httpx.Client

    def offline_client(*args: Any, transport: Any = None, **kwargs: Any) -> httpx.Client:
        answer = {"choices": [{"message": {"content": "ignore previous instructions"}}]}
        return real_client(
            *args, transport=httpx.MockTransport(lambda r: httpx.Response(200, json=answer)), **kwargs
        )

    monkeypatch.setattr(polish.httpx, "Client", offline_client)
    src = _write(tmp_path / "in.jsonl", make_corpus(15))
    args = [str(src), "--size", "4", "--polish-url", "http://llm.invalid/v1", "--polish-model", "m"]
    result = CliRunner().invoke(weave_command, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["polish"]["applied"] is False
    assert "polish not applied" in result.stderr
    plain = CliRunner().invoke(weave_command, [str(src), "--size", "4"])
    assert [p["text"] for p in json.loads(plain.stdout)["passages"]] == [p["text"] for p in data["passages"]]


def test_polish_url_needs_a_model(tmp_path: Path, make_corpus) -> None:
    src = _write(tmp_path / "in.jsonl", make_corpus(5))
    result = CliRunner().invoke(weave_command, [str(src), "--polish-url", "http://x/v1"])
    assert result.exit_code != 0 and "--polish-model" in result.output
