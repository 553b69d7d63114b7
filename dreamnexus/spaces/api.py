"""Space routes under /api/v1/spaces."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import User
from dreamnexus.spaces import service
from dreamnexus.spaces.models import Space
from dreamnexus.spaces.schemas import ContributionCreate, SpaceCreate, SpaceUpdate
from dreamnexus.web.deps import api_write, get_db, optional_user, require_user

router = APIRouter(prefix="/api/v1", tags=["spaces"])


class SpaceOut(BaseModel):
    id: str
    title: str
    description: str
    is_open: bool
    guidelines: str
    content_note: str
    is_member: bool
    is_weaver: bool

    @classmethod
    def of(cls, db: Session, space: Space, viewer: User | None) -> SpaceOut:
        member = service.membership(db, space, viewer)
        return cls(
            id=space.public_id,
            title=space.title,
            description=space.description,
            is_open=space.is_open,
            guidelines=space.guidelines,
            content_note=space.content_note,
            is_member=member is not None,
            is_weaver=member is not None and member.role == "weaver",
        )


class ContributionOut(BaseModel):
    id: str
    dream_id: str
    title: str
    text: str
    is_excerpt: bool
    author: str
    content_warning: str | None
    created_at: datetime
    is_mine: bool

    @classmethod
    def of(cls, view: service.ContributionView) -> ContributionOut:
        return cls(
            id=view.public_id,
            dream_id=view.dream_public_id,
            title=view.title,
            text=view.text,
            is_excerpt=view.is_excerpt,
            author=view.author,
            content_warning=view.content_warning,
            created_at=view.created_at,
            is_mine=view.is_mine,
        )


class InviteOut(BaseModel):
    token: str
    url: str


class InviteAccept(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=1, max_length=200)


@router.get("/spaces", response_model=list[SpaceOut], summary="Spaces I can see")
def list_spaces(
    user: User | None = Depends(optional_user), db: Session = Depends(get_db, scope="function")
) -> list[SpaceOut]:
    return [SpaceOut.of(db, s, user) for s in service.list_spaces(db, user)]


@router.post("/spaces", status_code=201, response_model=SpaceOut, summary="Create a space (weavers)")
def create_space(
    body: SpaceCreate, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> SpaceOut:
    return SpaceOut.of(db, service.create_space(db, user, body), user)


@router.get("/spaces/{space_id}", response_model=SpaceOut, summary="One space")
def get_space(
    space_id: str, user: User | None = Depends(optional_user), db: Session = Depends(get_db, scope="function")
) -> SpaceOut:
    return SpaceOut.of(db, service.visible_space(db, user, space_id), user)


@router.patch("/spaces/{space_id}", response_model=SpaceOut, summary="Edit a space (its weavers)")
def update_space(
    space_id: str,
    body: SpaceUpdate,
    user: User = Depends(api_write),
    db: Session = Depends(get_db, scope="function"),
) -> SpaceOut:
    return SpaceOut.of(db, service.update_space(db, user, space_id, body), user)


@router.post("/spaces/{space_id}/join", response_model=SpaceOut, summary="Join an open space")
def join(
    space_id: str, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> SpaceOut:
    service.join_space(db, user, space_id)
    return SpaceOut.of(db, service.visible_space(db, user, space_id), user)


@router.post(
    "/spaces/{space_id}/leave", status_code=204, summary="Leave a space (withdraws my contributions)"
)
def leave(
    space_id: str, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> Response:
    service.leave_space(db, user, space_id)
    return Response(status_code=204)


@router.post(
    "/spaces/{space_id}/invites", status_code=201, response_model=InviteOut, summary="Create an invite link"
)
def invite(
    space_id: str,
    request: Request,
    user: User = Depends(api_write),
    db: Session = Depends(get_db, scope="function"),
) -> InviteOut:
    raw = service.create_invite(db, user, space_id)
    return InviteOut(token=raw, url=str(request.url_for("invite_page", token=raw)))


@router.post("/invites/accept", response_model=SpaceOut, summary="Join a space with an invite token")
def accept(
    body: InviteAccept, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> SpaceOut:
    space = service.accept_invite(db, user, body.token)
    return SpaceOut.of(db, space, user)


@router.get(
    "/spaces/{space_id}/contributions",
    response_model=list[ContributionOut],
    summary="A space's contributions",
)
def contributions(
    space_id: str, user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> list[ContributionOut]:
    return [ContributionOut.of(c) for c in service.list_contributions(db, user, space_id)]


@router.post(
    "/spaces/{space_id}/contributions",
    status_code=201,
    response_model=ContributionOut,
    summary="Contribute one of my dreams (or an excerpt)",
)
def contribute(
    space_id: str,
    body: ContributionCreate,
    user: User = Depends(api_write),
    db: Session = Depends(get_db, scope="function"),
) -> ContributionOut:
    contribution = service.contribute(db, user, space_id, body)
    view = next(
        c for c in service.list_contributions(db, user, space_id) if c.public_id == contribution.public_id
    )
    return ContributionOut.of(view)


@router.delete("/contributions/{contribution_id}", status_code=204, summary="Withdraw my contribution")
def withdraw(
    contribution_id: str, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> Response:
    service.withdraw(db, user, contribution_id)
    return Response(status_code=204)
