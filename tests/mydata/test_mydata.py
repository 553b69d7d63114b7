"""My data: complete and secret-free, exportable, an access log of counts, erasure that spares others."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import select

from dreamnexus import wiring
from dreamnexus.accounts.models import User
from dreamnexus.db.engine import Database
from dreamnexus.journal import service as journal
from dreamnexus.journal.models import Dream
from dreamnexus.journal.schemas import Consents, DreamCreate
from dreamnexus.mydata import transparency
from dreamnexus.spaces import manifest, weaves
from dreamnexus.spaces import service as spaces
from dreamnexus.spaces.models import Contribution, Space
from dreamnexus.spaces.schemas import ContributionCreate, SpaceCreate
from tests.conftest import PASSWORD

wiring.install()


def test_my_data_is_complete_and_holds_no_secret(database: Database, make_account, client) -> None:  # type: ignore[no-untyped-def]
    me = make_account("dreamer")
    created = client.post(
        "/api/v1/dreams",
        json={"text": "I flew over the lake.", "title": "Lake", "consents": {"research": True}},
        headers=me.headers,
    )
    assert created.status_code == 201
    data = client.get("/api/v1/me/data", headers=me.headers).json()
    assert data["account"]["email"] == me.email
    assert [d["title"] for d in data["dreams"]] == ["Lake"]
    assert [(e["kind"], e["value"]) for e in data["consent_ledger"]] == [("research", "granted")]
    with database.session() as session:
        user = session.get(User, me.user.id)
        secrets = [user.password_hash, me.token]
    text = json.dumps(data)
    for secret in secrets:
        assert secret not in text
    exported = client.get("/api/v1/me/export", headers=me.headers)
    assert exported.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(exported.content))
    names = archive.namelist()
    assert "data.json" in names and sum(n.startswith("dreams/") and n.endswith(".md") for n in names) == 1
    markdown = archive.read(next(n for n in names if n.startswith("dreams/"))).decode()
    assert "# Lake" in markdown and "I flew over the lake." in markdown


def test_access_log_counts_others_reading_never_who(database: Database, make_account, client) -> None:  # type: ignore[no-untyped-def]
    owner, reader = make_account("dreamer"), make_account("dreamer")
    dream_id = client.post(
        "/api/v1/dreams", json={"text": "A public dream.", "visibility": "public"}, headers=owner.headers
    ).json()["id"]
    client.get(f"/api/v1/dreams/{dream_id}", headers=owner.headers)  # the owner's own reading is not counted
    for _ in range(2):
        assert client.get(f"/api/v1/dreams/{dream_id}", headers=reader.headers).status_code == 200
    log = client.get("/api/v1/me/data", headers=owner.headers).json()["access_log"]
    assert log == [
        {"dream_id": dream_id, "kind": "viewed", "context": "public", "day": log[0]["day"], "count": 2}
    ]
    assert reader.email not in json.dumps(log)


def test_erasure_removes_my_words_everywhere_and_keeps_others(
    database: Database, make_account, client
) -> None:  # type: ignore[no-untyped-def]
    weaver, other = make_account("weaver"), make_account("dreamer")
    with database.session() as session:
        space = spaces.create_space(session, weaver.user, SpaceCreate(title="Shore"))
        spaces.join_space(session, other.user, space.public_id)
        for account, text in (
            (weaver, "I walked along the shore with my father at dawn, calm and glad."),
            (other, "A storm broke over the shore and I ran to the lighthouse, afraid."),
        ):
            dream = journal.create_dream(
                session,
                account.user,
                DreamCreate(text=text, visibility="spaces", consents=Consents(weaving=True)),
            )
            spaces.contribute(
                session, account.user, space.public_id, ContributionCreate(dream_id=dream.public_id)
            )
        draft = weaves.create_draft(session, weaver.user, space.public_id, weaves.WeaveRequest(size=4), "k")
        weaves.publish(session, weaver.user, draft.public_id)
        space_id = space.public_id
    wrong = client.post("/api/v1/me/delete", json={"password": "not it at all"}, headers=weaver.headers)
    assert wrong.status_code == 422
    assert (
        client.post("/api/v1/me/delete", json={"password": PASSWORD}, headers=weaver.headers).status_code
        == 204
    )
    with database.session() as session:
        assert session.get(User, weaver.user.id) is None
        assert session.scalars(select(Dream).where(Dream.owner_id == weaver.user.id)).all() == []
        space = session.scalar(select(Space).where(Space.public_id == space_id))
        assert space is not None and space.created_by == other.user.id  # handed over, not destroyed
        assert session.scalars(select(Contribution).where(Contribution.contributor_id == other.user.id)).all()
        every_version = weaves.list_weaves(session, other.user, space_id)
    assert every_version and all("with my father" not in json.dumps(w.content) for w in every_version)
    with database.session() as session:  # superseded versions were re-rendered too, and still verify
        key = manifest.public_key_hex(manifest.current_signer()[0])
        for version in every_version:
            document = weaves.signed_document(session, other.user, version.public_id)
            assert manifest.verify_document(document, key) == []
    assert client.get("/api/v1/me", headers=weaver.headers).status_code == 401


def test_transparency_counts_moderation_and_refusals(database: Database, make_account, client) -> None:  # type: ignore[no-untyped-def]
    account = make_account("dreamer")
    for _ in range(4):
        client.post("/api/v1/auth/password/forgot", json={"email": account.email})
    with database.session() as session:
        counts = {name: recent for name, _, recent, _ in transparency.totals(session)}
    assert counts["rate_limited"] == 1
    page = client.get("/transparency")
    assert page.status_code == 200 and "Requests refused for coming too fast" in page.text
