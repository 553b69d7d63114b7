"""Weave routes under /api/v1: drafts, edits, publishing, versions, exclusions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import User
from dreamnexus.spaces import manifest, weaves
from dreamnexus.spaces.models import Space
from dreamnexus.spaces.weave_models import SpaceWeave
from dreamnexus.web.deps import api_write, get_db, require_user

router = APIRouter(prefix="/api/v1", tags=["weaves"])


class WeaveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    size: int = Field(default=24, ge=1, le=weaves.MAX_SIZE)
    seed: int = Field(default=0, ge=0, lt=2**31)


class WeaveEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    order: list[int] | None = Field(default=None, max_length=weaves.MAX_SIZE)
    drop: list[int] = Field(default_factory=list, max_length=weaves.MAX_SIZE)


class ExclusionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    contribution_id: str = Field(min_length=1, max_length=32)
    reason: str = Field(min_length=3, max_length=500)


class WeaveOut(BaseModel):
    id: str
    space_id: str
    status: str
    version: int | None
    note: str
    created_at: datetime
    published_at: datetime | None
    engine_version: str
    seed: int
    parameters: dict[str, Any]
    weave: dict[str, Any]

    @classmethod
    def of(cls, row: SpaceWeave, space: Space) -> WeaveOut:
        return cls(
            id=row.public_id,
            space_id=space.public_id,
            status=row.status,
            version=row.version,
            note=row.note,
            created_at=row.created_at,
            published_at=row.published_at,
            engine_version=row.engine_version,
            seed=row.seed,
            parameters=row.parameters,
            weave=row.content,
        )


class ExclusionOut(BaseModel):
    id: str
    contribution_id: str
    reason: str
    created_at: datetime


@router.post(
    "/spaces/{space_id}/weaves",
    status_code=201,
    response_model=WeaveOut,
    summary="Weave the space's contributions into a draft (its weavers)",
)
def create_draft(
    space_id: str,
    body: WeaveIn,
    request: Request,
    user: User = Depends(api_write),
    db: Session = Depends(get_db, scope="function"),
) -> WeaveOut:
    secret = request.app.state.settings.secret_key
    row = weaves.create_draft(db, user, space_id, weaves.WeaveRequest(size=body.size, seed=body.seed), secret)
    return WeaveOut.of(row, weaves.get_weave(db, user, row.public_id)[1])


@router.get("/spaces/{space_id}/weaves", response_model=list[WeaveOut], summary="A space's weaves (members)")
def list_weaves(
    space_id: str, user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> list[WeaveOut]:
    rows = weaves.list_weaves(db, user, space_id)
    return [WeaveOut.of(row, weaves.get_weave(db, user, row.public_id)[1]) for row in rows]


@router.get("/weaves/{weave_id}", response_model=WeaveOut, summary="One weave (members; drafts for weavers)")
def get_weave(
    weave_id: str, user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> WeaveOut:
    row, space = weaves.get_weave(db, user, weave_id)
    return WeaveOut.of(row, space)


@router.patch("/weaves/{weave_id}", response_model=WeaveOut, summary="Reorder or drop passages of a draft")
def edit(
    weave_id: str,
    body: WeaveEdit,
    user: User = Depends(api_write),
    db: Session = Depends(get_db, scope="function"),
) -> WeaveOut:
    row = weaves.edit_draft(db, user, weave_id, order=body.order, drop=body.drop)
    return WeaveOut.of(row, weaves.get_weave(db, user, weave_id)[1])


@router.post(
    "/weaves/{weave_id}/publish", response_model=WeaveOut, summary="Publish a draft as the next version"
)
def publish(
    weave_id: str, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> WeaveOut:
    row = weaves.publish(db, user, weave_id)
    return WeaveOut.of(row, weaves.get_weave(db, user, weave_id)[1])


@router.delete("/weaves/{weave_id}", status_code=204, summary="Discard a draft")
def discard(
    weave_id: str, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> Response:
    weaves.discard_draft(db, user, weave_id)
    return Response(status_code=204)


@router.post(
    "/spaces/{space_id}/exclusions",
    status_code=201,
    response_model=ExclusionOut,
    summary="Keep a contribution out of weaves, with a reason its contributor sees",
)
def exclude(
    space_id: str,
    body: ExclusionIn,
    user: User = Depends(api_write),
    db: Session = Depends(get_db, scope="function"),
) -> ExclusionOut:
    exclusion = weaves.exclude(db, user, space_id, body.contribution_id, body.reason)
    return ExclusionOut(
        id=exclusion.public_id,
        contribution_id=body.contribution_id,
        reason=exclusion.reason,
        created_at=exclusion.created_at,
    )


@router.delete("/exclusions/{exclusion_id}", status_code=204, summary="Lift an exclusion")
def lift(
    exclusion_id: str, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> Response:
    weaves.lift_exclusion(db, user, exclusion_id)
    return Response(status_code=204)


@router.get(
    "/exclusions",
    response_model=list[ExclusionOut],
    summary="My contributions that weavers kept out, and why",
)
def my_exclusions(
    user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> list[ExclusionOut]:
    return [
        ExclusionOut(id=e.public_id, contribution_id=c.public_id, reason=e.reason, created_at=e.created_at)
        for e, c, _ in weaves.exclusions_for_contributor(db, user)
    ]


class VerifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    manifest: dict[str, Any]
    signature: str = Field(max_length=200)
    weave: dict[str, Any]


class VerifyOut(BaseModel):
    valid: bool
    problems: list[str]
    public_key: str


@router.get("/weaves/{weave_id}/signed", summary="A published weave with its signed manifest (members)")
def signed(
    weave_id: str, user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> dict[str, Any]:
    return weaves.signed_document(db, user, weave_id)


@router.get("/instance/public-key", summary="The instance's Ed25519 public key (hex), for verifying weaves")
def public_key() -> dict[str, str]:
    key, instance = manifest.current_signer()
    return {"public_key": manifest.public_key_hex(key), "instance": instance, "algorithm": "Ed25519"}


@router.post(
    "/weaves/verify",
    response_model=VerifyOut,
    summary="Check a signed weave against this instance's key (anyone)",
)
def verify(body: VerifyIn) -> VerifyOut:
    key, _ = manifest.current_signer()
    problems = manifest.verify_document(body.model_dump(), manifest.public_key_hex(key))
    return VerifyOut(valid=not problems, problems=problems, public_key=manifest.public_key_hex(key))
