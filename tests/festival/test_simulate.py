"""The simulator contract at a tiny size: a loopback server, real clients in processes, a JSON report."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dreamnexus.cli.festival import festival_group

pytestmark = pytest.mark.slow

FIELDS = {
    "participants_connected",
    "contributions_sent",
    "contributions_acked",
    "contributions_persisted",
    "lost",
    "delivery_p50_ms",
    "delivery_p99_ms",
    "honest_ack_p99_ms",
    "adversarial_share_of_weave",
    "honest_excluded_rate",
    "server_rss_mb",
}


def test_simulate_reports_what_it_measured() -> None:
    result = CliRunner().invoke(
        festival_group,
        [
            "simulate",
            "--participants",
            "9",
            "--duration",
            "4",
            "--attackers",
            "0.34",
            "--processes",
            "2",
            "--interval",
            "1",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert set(report) >= FIELDS
    assert report["participants_connected"] == 9 and report["attackers"] == 3
    assert report["contributions_acked"] > 0
    assert report["contributions_persisted"] >= report["contributions_acked"]
    assert report["lost"] == 0
    assert report["server_rss_mb"] > 0


def test_simulate_refuses_targets_beyond_loopback() -> None:
    result = CliRunner().invoke(
        festival_group,
        [
            "simulate",
            "--participants",
            "2",
            "--duration",
            "2",
            "--url",
            "http://example.org:8000",
            "--database-url",
            "sqlite:///x.db",
        ],
    )
    assert result.exit_code != 0
    assert "127.0.0.1" in result.output
