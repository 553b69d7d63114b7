"""`dreamnexus analyze`: formats, pass-through fields, bad records, missing files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dreamnexus.cli.analyze import analyze_command

RECORDS = [
    {"id": "a", "sex": "F", "text": "A man chased me through the forest and I was terrified."},
    {"id": "b", "sex": "M", "text": "My mother hugged me at home."},
]


def _runner() -> CliRunner:
    return CliRunner()


def _write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _parse(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_jsonl_to_stdout(tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", [json.dumps(r) for r in RECORDS])
    result = _runner().invoke(analyze_command, [str(src), "--no-embed"])
    assert result.exit_code == 0, result.output
    out = _parse(result.stdout)
    assert [r["id"] for r in out] == ["a", "b"]
    assert out[0]["sex"] == "F" and out[0]["text"] == RECORDS[0]["text"]
    assert out[0]["analysis"]["interactions"][0]["kind"] == "aggression"
    assert out[1]["analysis"]["interactions"][0]["kind"] == "friendliness"


def test_gzip_and_output_file_with_workers(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl.gz"
    with gzip.open(src, "wt", encoding="utf-8") as fh:
        for r in RECORDS * 3:
            fh.write(json.dumps(r) + "\n")
    dst = tmp_path / "out.jsonl"
    result = _runner().invoke(analyze_command, [str(src), "-o", str(dst), "--no-embed", "--workers", "2"])
    assert result.exit_code == 0, result.output
    out = _parse(dst.read_text(encoding="utf-8"))
    assert [r["id"] for r in out] == ["a", "b"] * 3


def test_csv_input(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text('id,text\n1,"I was happy, very happy."\n2,A dog bit me.\n', encoding="utf-8")
    result = _runner().invoke(analyze_command, [str(src), "--no-embed"])
    assert result.exit_code == 0, result.output
    out = _parse(result.stdout)
    assert [r["id"] for r in out] == ["1", "2"]
    assert out[0]["analysis"]["emotions"][0]["emotion_class"] == "happiness"


def test_bad_records_are_reported_and_fail(tmp_path: Path) -> None:
    lines = [
        json.dumps(RECORDS[0]),
        "{not json",
        json.dumps({"id": "x"}),
        json.dumps({"text": 5}),
        "[1]",
        json.dumps(RECORDS[1]),
    ]
    src = _write_jsonl(tmp_path / "in.jsonl", lines)
    result = _runner().invoke(analyze_command, [str(src), "--no-embed"])
    assert result.exit_code == 1
    assert "line 2: invalid JSON" in result.stderr
    assert "line 3: missing 'text' field" in result.stderr
    assert "line 4: 'text' is not a string" in result.stderr
    assert "line 5: record is not a JSON object" in result.stderr
    assert [r["id"] for r in _parse(result.stdout)] == ["a", "b"]


def test_skip_bad_exits_zero(tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", [json.dumps(RECORDS[0]), "{oops"])
    result = _runner().invoke(analyze_command, [str(src), "--no-embed", "--skip-bad"])
    assert result.exit_code == 0
    assert "line 2" in result.stderr
    assert len(_parse(result.stdout)) == 1


@pytest.mark.parametrize("name", ["missing.jsonl", "input.txt"])
def test_missing_or_unsupported_input(tmp_path: Path, name: str) -> None:
    result = _runner().invoke(analyze_command, [str(tmp_path / name), "--no-embed"])
    assert result.exit_code != 0
    assert "Error:" in result.stderr and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_corrupt_gzip_is_a_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl.gz"
    src.write_bytes(b"this is not gzip")
    result = _runner().invoke(analyze_command, [str(src), "--no-embed"])
    assert result.exit_code != 0
    assert "cannot read" in result.stderr


def test_command_name() -> None:
    assert analyze_command.name == "analyze"
