"""`dreamnexus research profile`: JSON shape, grouping, analysed input, formats, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from dreamnexus.analysis import analyze
from dreamnexus.cli.research import research_group

RECORDS = [
    {"id": 1, "sex": "male", "series": "x", "text": "A man hit me and I was scared."},
    {"id": 2, "sex": "M", "series": "x", "text": "My brother helped me in the garden."},
    {"id": 3, "sex": "female", "series": "y", "text": "My mother and my sister were in the kitchen."},
]


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _invoke(*args: str):
    return CliRunner().invoke(research_group, ["profile", *args])


def test_group_and_profile_names() -> None:
    assert research_group.name == "research" and "profile" in research_group.commands


def test_json_without_group_by(tmp_path: Path) -> None:
    result = _invoke(str(_write(tmp_path / "d.jsonl", RECORDS)), "--compare-norms", "female")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    group = data["groups"]["all"]
    assert group["n_dreams"] == 3
    assert "male_female_pct" in group["indicators"]
    assert set(group["vs_norms"]["male_female_pct"]) >= {"norm", "h", "p"}
    assert group["vs_norms"]["male_female_pct"]["norm"] == 48


def test_group_by_with_auto_norms(tmp_path: Path) -> None:
    result = _invoke(
        str(_write(tmp_path / "d.jsonl", RECORDS)), "--group-by", "sex", "--compare-norms", "auto"
    )
    assert result.exit_code == 0, result.output
    groups = json.loads(result.stdout)["groups"]
    assert set(groups) == {"male", "M", "female"}
    assert groups["M"]["vs_norms"]["male_female_pct"]["norm"] == 67
    assert groups["female"]["vs_norms"]["male_female_pct"]["norm"] == 48


def test_analysed_records_are_not_reanalysed(tmp_path: Path) -> None:
    planted = analyze("I walked alone.", embed=False).to_dict()
    records = [{"id": 1, "text": "A man hit me.", "analysis": planted}]
    result = _invoke(str(_write(tmp_path / "a.jsonl", records)))
    assert result.exit_code == 0, result.output
    group = json.loads(result.stdout)["groups"]["all"]
    assert group["counts"]["ac_index"]["numerator"] == 0  # the planted analysis, not the text, counted


def test_table_and_csv_formats(tmp_path: Path) -> None:
    src = str(_write(tmp_path / "d.jsonl", RECORDS))
    table = _invoke(src, "--format", "table", "--compare-norms", "male")
    assert table.exit_code == 0 and "male_female_pct" in table.stdout and "group all" in table.stdout
    out = _invoke(src, "--format", "csv", "--group-by", "series")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert {r["group"] for r in rows} == {"x", "y"}
    assert {r["indicator"] for r in rows} >= {"male_female_pct", "torso_anatomy_pct"}


def test_bad_record_reported(tmp_path: Path) -> None:
    src = tmp_path / "d.jsonl"
    src.write_text(json.dumps(RECORDS[0]) + "\nnot json\n", encoding="utf-8")
    result = _invoke(str(src))
    assert result.exit_code == 1 and "line 2: invalid JSON" in result.stderr
    assert json.loads(result.stdout)["groups"]["all"]["n_dreams"] == 1
    assert _invoke(str(src), "--skip-bad").exit_code == 0


def test_missing_file(tmp_path: Path) -> None:
    result = _invoke(str(tmp_path / "nope.jsonl"))
    assert result.exit_code != 0 and "no such file" in result.stderr
