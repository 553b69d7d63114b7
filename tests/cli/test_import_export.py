"""`dreamnexus import dreams` and `dreamnexus export dreams`: good rows in, bad rows reported, round trips."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dreamnexus.accounts.models import User
from dreamnexus.journal.models import ConsentEvent, Dream, DreamTag

PASSWORD = "a long enough test passphrase"
TOO_LONG = "x" * 20_001
GOOD = [
    {
        "text": "I walked on the roof of a train.",
        "title": "Train",
        "dreamt_on": "2024-01-02",
        "tags": ["travel"],
        "mood": 1,
        "lucid": True,
    },
    {"text": "Soñé con una casa llena de relojes y mi abuela me hablaba.", "date": "2023-05-06"},
]


def jsonl_lines() -> list[bytes]:
    """Seven lines: good, malformed JSON, invalid UTF-8, no text, too long, bad date, good (and a blank)."""
    return [
        json.dumps(GOOD[0]).encode(),
        b'{"text": "broken',
        b'{"text": "caf\xe9 au lait"}',
        json.dumps({"title": "No text here"}).encode(),
        json.dumps({"text": TOO_LONG}).encode(),
        json.dumps({"text": "A dream with a bad date.", "dreamt_on": "2024-13-45"}).encode(),
        json.dumps(GOOD[1], ensure_ascii=False).encode(),
        b"",
    ]


JSONL_FAILURES = {2: "malformed json", 3: "utf-8", 4: "text", 5: "20,000", 6: "dreamt_on"}


@pytest.fixture
def owner(cli) -> str:  # type: ignore[no-untyped-def]
    result = cli(["users", "create", "owner@example.org"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    return "owner@example.org"


def dreams_of(db, email: str) -> list[Dream]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        owner_id = session.scalar(select(User.id).where(User.email == email))
        return list(
            session.scalars(select(Dream).where(Dream.owner_id == owner_id).order_by(Dream.dreamt_on.desc()))
        )


def count(db, model: type) -> int:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def check_outcome(result, db, failures: dict[int, str], owner: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"Imported 2 dream(s); skipped {len(failures)}." in result.output
    reported = {
        int(line.split("line ", 1)[1].split(":", 1)[0]): line.lower()
        for line in result.output.splitlines()
        if "line " in line and "skipped:" in line
    }
    assert set(reported) == set(failures), result.output
    for number, reason in failures.items():
        assert reason in reported[number], reported[number]
    imported = dreams_of(db, owner)
    assert [d.title for d in imported] == ["Train", ""]
    train, casa = imported
    assert (train.text, train.dreamt_on.isoformat(), train.tag_names, train.mood, train.lucid) == (
        GOOD[0]["text"],
        "2024-01-02",
        ["travel"],
        1,
        True,
    )
    assert casa.dreamt_on.isoformat() == "2023-05-06" and casa.language == "es"
    assert all(d.visibility == "private" and not any(d.consents().values()) for d in imported)
    # Nothing of the bad rows was written, not even partly.
    assert count(db, Dream) == 2
    assert count(db, DreamTag) == 1
    assert count(db, ConsentEvent) == 0


def test_import_jsonl_with_broken_rows(cli, db, owner: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "dreams.jsonl"
    path.write_bytes(b"\n".join(jsonl_lines()))
    check_outcome(cli(["import", "dreams", str(path), "--owner", owner]), db, JSONL_FAILURES, owner)


def test_import_jsonl_gz_with_broken_rows(cli, db, owner: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "dreams.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b"\n".join(jsonl_lines()))
    check_outcome(cli(["import", "dreams", str(path), "--owner", owner]), db, JSONL_FAILURES, owner)


def test_import_csv_with_broken_rows(cli, db, owner: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["text", "title", "dreamt_on", "tags", "mood", "lucid"])
    writer.writerow([GOOD[0]["text"], "Train", "2024-01-02", "travel", "1", "yes"])  # line 2
    writer.writerow(["PLACEHOLDER", "", "", "", "", ""])  # line 3: bytes replaced below
    writer.writerow(["", "No text here", "", "", "", ""])  # line 4
    writer.writerow([TOO_LONG, "", "", "", "", ""])  # line 5
    writer.writerow(["A dream with a bad date.", "", "2024-13-45", "", "", ""])  # line 6
    writer.writerow([GOOD[1]["text"], "", "2023-05-06", "", "", ""])  # line 7
    data = text.getvalue().encode("utf-8").replace(b"PLACEHOLDER", b"caf\xe9 au lait")
    path = tmp_path / "dreams.csv"
    path.write_bytes(data)
    failures = {3: "utf-8", 4: "text", 5: "20,000", 6: "dreamt_on"}
    result = cli(["import", "dreams", str(path), "--owner", owner])
    assert result.exit_code == 1, result.output
    assert "Imported 2 dream(s); skipped 4." in result.output
    reported = {
        int(line.split("line ", 1)[1].split(":", 1)[0]): line.lower()
        for line in result.output.splitlines()
        if "line " in line and "skipped:" in line
    }
    assert set(reported) == set(failures), result.output
    for number, reason in failures.items():
        assert reason in reported[number]
    imported = dreams_of(db, owner)
    assert [(d.title, d.dreamt_on.isoformat(), d.lucid) for d in imported] == [
        ("Train", "2024-01-02", True),
        ("", "2023-05-06", False),
    ]
    assert count(db, Dream) == 2


def test_a_clean_file_imports_with_exit_code_zero(cli, db, owner: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "clean.jsonl"
    path.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in GOOD) + "\n", encoding="utf-8")
    result = cli(["import", "dreams", str(path), "--owner", owner])
    assert result.exit_code == 0, result.output
    assert "Imported 2 dream(s); skipped 0." in result.output
    assert count(db, Dream) == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.jsonl", None, "no such file"),
        ("dreams.txt", b"{}", ".jsonl"),
        ("dreams.json", b"{}", ".jsonl"),
    ],
)
def test_unreadable_files_are_refused_plainly(
    cli, db, owner: str, tmp_path: Path, no_traceback, name: str, content: bytes | None, message: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = cli(["import", "dreams", str(path), "--owner", owner])
    assert result.exit_code not in (0, None)
    assert message in result.output.lower()
    no_traceback(result)
    assert count(db, Dream) == 0


def test_an_unknown_owner_is_refused(cli, db, tmp_path: Path, no_traceback) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "dreams.jsonl"
    path.write_text(json.dumps(GOOD[0]) + "\n", encoding="utf-8")
    result = cli(["import", "dreams", str(path), "--owner", "ghost@example.org"])
    assert result.exit_code not in (0, None)
    assert "ghost@example.org" in result.output
    no_traceback(result)
    assert count(db, Dream) == 0
    exported = cli(["export", "dreams", "--owner", "ghost@example.org"])
    assert exported.exit_code not in (0, None) and "ghost@example.org" in exported.output
    no_traceback(exported)


def test_export_round_trips_through_import(cli, db, owner: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "source.jsonl"
    source.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in GOOD) + "\n", encoding="utf-8")
    assert cli(["import", "dreams", str(source), "--owner", owner]).exit_code == 0
    exported = tmp_path / "exported.jsonl"
    result = cli(["export", "dreams", "--owner", owner, "-o", str(exported)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2
    assert "email" not in exported.read_text() and "owner" not in records[0]

    assert cli(["users", "create", "copy@example.org"], input=PASSWORD + "\n").exit_code == 0
    reimported = cli(["import", "dreams", str(exported), "--owner", "copy@example.org"])
    assert reimported.exit_code == 0, reimported.output
    again = tmp_path / "again.jsonl"
    assert cli(["export", "dreams", "--owner", "copy@example.org", "-o", str(again)]).exit_code == 0
    fields = ("title", "text", "dreamt_on", "tags", "lucid", "mood", "language")

    def content(path: Path) -> list[tuple]:
        return [
            tuple(json.dumps(json.loads(line)[f]) for f in fields) for line in path.read_text().splitlines()
        ]

    assert content(again) == content(exported)
    # Stdout works too, for piping.
    piped = cli(["export", "dreams", "--owner", owner])
    assert piped.exit_code == 0
    assert [json.loads(line)["text"] for line in piped.stdout.splitlines()] == [r["text"] for r in records]
