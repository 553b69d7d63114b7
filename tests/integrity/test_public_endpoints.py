"""The public integrity endpoints: a signed checkpoint anyone can check, and proofs that verify."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dreamnexus.db.engine import Database
from dreamnexus.integrity import make_checkpoint
from dreamnexus.integrity.merkle import verify_consistency
from dreamnexus.integrity.signing import checkpoint_message


def test_checkpoint_and_proofs_check_out(database: Database, make_account, client, app) -> None:  # type: ignore[no-untyped-def]
    account = make_account("dreamer")
    for i in range(5):
        assert (
            client.post(
                "/api/v1/dreams", json={"text": f"A dream, night {i}."}, headers=account.headers
            ).status_code
            == 201
        )
    with database.session() as session:
        first = make_checkpoint(session, app.state.settings)
    client.post("/api/v1/dreams", json={"text": "One more dream."}, headers=account.headers)
    with database.session() as session:
        second = make_checkpoint(session, app.state.settings)
    published = client.get("/api/v1/integrity/checkpoint").json()
    checkpoint, key = published["checkpoint"], published["key"]
    assert checkpoint["tree_size"] == second.tree_size > first.tree_size
    public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(key["public_key"]))
    public.verify(
        bytes.fromhex(checkpoint["signature"]),
        checkpoint_message(checkpoint["tree_size"], checkpoint["root_hash"], checkpoint["at"]),
    )
    proof = client.get(
        f"/api/v1/integrity/proofs/consistency?first={first.tree_size}&second={second.tree_size}"
    ).json()
    assert verify_consistency(
        first.tree_size,
        second.tree_size,
        bytes.fromhex(first.root_hash),
        bytes.fromhex(second.root_hash),
        [bytes.fromhex(h) for h in proof["proof"]],
    )
    inclusion = client.get(f"/api/v1/integrity/proofs/inclusion?seq=1&size={second.tree_size}")
    assert inclusion.status_code == 200 and inclusion.json()["root_hash"] == second.root_hash
    too_far = client.get(f"/api/v1/integrity/proofs/inclusion?seq=1&size={second.tree_size + 100}")
    assert too_far.status_code == 422
