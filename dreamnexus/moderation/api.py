"""Moderation routes under /api/v1: flags, the queue, decisions, notices, appeals."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import User
from dreamnexus.moderation import service
from dreamnexus.web.deps import api_write, get_db, require_user

router = APIRouter(prefix="/api/v1", tags=["moderation"])


class FlagIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    target_type: Literal["contribution", "dream"]
    target_id: str = Field(min_length=1, max_length=32)
    category: Literal["spam", "harassment", "hijack", "off_topic", "private_info", "other"]
    note: str = Field(default="", max_length=500)


class CaseOut(BaseModel):
    id: str
    target_type: str
    origin: str
    reason: str
    hidden: bool
    flag_weight: float
    text: str
    created_at: datetime


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["clear", "hide"]
    reason: str = Field(min_length=3, max_length=500)
    sanction: Literal["limit", "suspend"] | None = None
    days: int | None = Field(default=None, ge=1, le=365)


class AppealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=10, max_length=2000)


class AppealDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    overturn: bool
    answer: str = Field(min_length=3, max_length=1000)


class NoticeOut(BaseModel):
    text: str
    link: str
    created_at: datetime


class SanctionOut(BaseModel):
    id: str
    kind: str
    reason: str
    created_at: datetime
    ends_at: datetime | None
    lifted: bool
    appeal_state: str | None
    appeal_answer: str | None


class NoticesOut(BaseModel):
    notices: list[NoticeOut]
    sanctions: list[SanctionOut]


class AppealOut(BaseModel):
    id: str
    sanction_kind: str
    sanction_reason: str
    text: str
    created_at: datetime


@router.post("/flags", status_code=202, summary="Flag shared content for moderators")
def flag(
    body: FlagIn, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> dict[str, str]:
    service.flag(db, user, body.target_type, body.target_id, body.category, body.note)
    return {"detail": "Thank you: moderators will look at it."}


@router.get(
    "/moderation/cases",
    response_model=list[CaseOut],
    summary="The moderation queue (stewards; weavers for their spaces)",
)
def cases(
    user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> list[CaseOut]:
    return [
        CaseOut(
            id=c.public_id,
            target_type=c.target_type,
            origin=c.origin,
            reason=c.reason,
            hidden=c.hidden,
            flag_weight=round(c.flag_weight, 2),
            text=service.case_text(db, c),
            created_at=c.created_at,
        )
        for c in service.queue(db, user)
    ]


@router.post(
    "/moderation/cases/{case_id}/decision",
    response_model=CaseOut,
    summary="Clear or hide; stewards may also sanction",
)
def decide(
    case_id: str,
    body: DecisionIn,
    user: User = Depends(api_write),
    db: Session = Depends(get_db, scope="function"),
) -> CaseOut:
    c = service.decide(
        db, user, case_id, action=body.action, reason=body.reason, sanction=body.sanction, days=body.days
    )
    return CaseOut(
        id=c.public_id,
        target_type=c.target_type,
        origin=c.origin,
        reason=c.reason,
        hidden=c.hidden,
        flag_weight=round(c.flag_weight, 2),
        text=service.case_text(db, c),
        created_at=c.created_at,
    )


@router.get("/notices", response_model=NoticesOut, summary="Decisions that concern me, and my appeals")
def notices(
    user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> NoticesOut:
    return NoticesOut(
        notices=[
            NoticeOut(text=n.text, link=n.link, created_at=n.created_at) for n in service.my_notices(db, user)
        ],
        sanctions=[
            SanctionOut(
                id=s.public_id,
                kind=s.kind,
                reason=s.reason,
                created_at=s.created_at,
                ends_at=s.ends_at,
                lifted=s.lifted_at is not None,
                appeal_state=a.state if a else None,
                appeal_answer=a.answer if a else None,
            )
            for s, a in service.my_sanctions(db, user)
        ],
    )


@router.post("/sanctions/{sanction_id}/appeal", status_code=201, summary="Appeal a decision about me")
def appeal(
    sanction_id: str,
    body: AppealIn,
    user: User = Depends(api_write),
    db: Session = Depends(get_db, scope="function"),
) -> dict[str, str]:
    entry = service.appeal(db, user, sanction_id, body.text)
    return {"id": entry.public_id, "state": entry.state}


@router.get("/appeals", response_model=list[AppealOut], summary="Open appeals (stewards)")
def appeals(
    user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> list[AppealOut]:
    return [
        AppealOut(
            id=a.public_id,
            sanction_kind=s.kind,
            sanction_reason=s.reason,
            text=a.text,
            created_at=a.created_at,
        )
        for a, s in service.open_appeals(db, user)
    ]


@router.post("/appeals/{appeal_id}/decision", summary="Decide an appeal (stewards)")
def decide_appeal(
    appeal_id: str,
    body: AppealDecisionIn,
    user: User = Depends(api_write),
    db: Session = Depends(get_db, scope="function"),
) -> dict[str, str]:
    entry = service.decide_appeal(db, user, appeal_id, overturn=body.overturn, answer=body.answer)
    return {"id": entry.public_id, "state": entry.state}
