"""Signed weaves: every published version carries a manifest anyone can verify with the public key."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dreamnexus.cli import main
from dreamnexus.db.engine import Database
from dreamnexus.spaces import manifest, weaves
from tests.weaves.test_space_weaves import SECRET, woven_space  # noqa: F401  (fixture)


def _published(database: Database, weaver, space_id: str) -> str:  # type: ignore[no-untyped-def]
    with database.session() as session:
        draft = weaves.create_draft(session, weaver.user, space_id, weaves.WeaveRequest(size=6), SECRET)
        return weaves.publish(session, weaver.user, draft.public_id).public_id


def test_a_published_weave_verifies_and_any_change_is_caught(database: Database, woven_space, client) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    weaver, dreamers, space_id, _ = woven_space
    weave_id = _published(database, weaver, space_id)
    document = client.get(f"/api/v1/weaves/{weave_id}/signed", headers=dreamers[0].headers).json()
    assert document["manifest"]["weave"] == weave_id and document["manifest"]["version"] == 1
    quoted = {s["contribution_id"] for p in document["weave"]["passages"] for s in p["sources"]}
    assert quoted == {s["contribution_id"] for s in document["manifest"]["sources"]}
    key = client.get("/api/v1/instance/public-key").json()["public_key"]
    assert manifest.verify_document(document, key) == []
    assert client.post("/api/v1/weaves/verify", json=document).json() == {
        "valid": True,
        "problems": [],
        "public_key": key,
    }

    altered = copy.deepcopy(document)
    altered["weave"]["passages"][0]["text"] += " And then I woke up rich."
    assert "content differs" in " ".join(manifest.verify_document(altered, key))
    forged = copy.deepcopy(document)
    forged["manifest"]["seed"] = 99
    assert "signature does not match" in " ".join(manifest.verify_document(forged, key))
    other = Ed25519PrivateKey.generate()
    assert manifest.verify_document(document, manifest.public_key_hex(other))
    assert client.post("/api/v1/weaves/verify", json=altered).json()["valid"] is False


def test_drafts_are_not_signed_and_revisions_are(database: Database, woven_space, client) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    weaver, dreamers, space_id, ids = woven_space
    with database.session() as session:
        draft = weaves.create_draft(session, weaver.user, space_id, weaves.WeaveRequest(size=6), SECRET)
        draft_id = draft.public_id
    assert client.get(f"/api/v1/weaves/{draft_id}/signed", headers=weaver.headers).status_code == 409
    weave_id = _published(database, weaver, space_id)
    used = {
        s["contribution_id"]
        for p in client.get(f"/api/v1/weaves/{weave_id}", headers=weaver.headers).json()["weave"]["passages"]
        for s in p["sources"]
    }
    owner = next(
        d
        for d in dreamers
        if client.delete(f"/api/v1/contributions/{sorted(used)[0]}", headers=d.headers).status_code == 204
    )
    del owner
    versions = client.get(f"/api/v1/spaces/{space_id}/weaves", headers=weaver.headers).json()
    latest = next(v for v in versions if v["status"] == "published")
    assert latest["version"] == 2
    document = client.get(f"/api/v1/weaves/{latest['id']}/signed", headers=weaver.headers).json()
    key = client.get("/api/v1/instance/public-key").json()["public_key"]
    assert manifest.verify_document(document, key) == []


def test_the_cli_verifies_a_file(tmp_path: Path, database: Database, woven_space, client) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    weaver, _, space_id, _ = woven_space
    weave_id = _published(database, weaver, space_id)
    document = client.get(f"/api/v1/weaves/{weave_id}/signed", headers=weaver.headers).json()
    key = client.get("/api/v1/instance/public-key").json()["public_key"]
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(document))
    document["weave"]["title"] = "Another title"
    bad.write_text(json.dumps(document))
    runner = CliRunner()
    ok = runner.invoke(main, ["weave", "verify", str(good), "--public-key", key])
    assert ok.exit_code == 0 and ok.output.startswith("valid:")
    tampered = runner.invoke(main, ["weave", "verify", str(bad), "--public-key", key])
    assert tampered.exit_code == 1 and "content differs" in tampered.output
    missing = runner.invoke(main, ["weave", "verify", str(tmp_path / "none.json"), "--public-key", key])
    assert missing.exit_code == 1 and "no such file" in missing.output
