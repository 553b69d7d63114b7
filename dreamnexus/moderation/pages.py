"""Moderation pages: flag forms, the queue, notices with appeals, and appeals for stewards."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from dreamnexus.accounts.models import Role, User
from dreamnexus.moderation import service
from dreamnexus.web.deps import get_db, require_user
from dreamnexus.web.forms import guard_form, redirect, safe_next
from dreamnexus.web.templating import render

router = APIRouter(include_in_schema=False)


@router.post("/flags")
def flag(
    request: Request,
    target_type: str = Form(...),
    target_id: str = Form(...),
    category: str = Form(...),
    note: str = Form(""),
    back: str = Form("/"),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    service.flag(db, user, target_type, target_id, category, note)
    return redirect(safe_next(back), "Thank you: moderators will look at it.")


@router.get("/moderation", response_class=HTMLResponse)
def moderation_queue(
    request: Request, user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> Response:
    cases = [(c, service.case_text(db, c)) for c in service.queue(db, user)]
    return render(request, "moderation.html", {"cases": cases, "is_steward": user.has_role(Role.steward)})


@router.post("/moderation/cases/{case_id}/decision")
def decide(
    request: Request,
    case_id: str,
    action: str = Form(...),
    reason: str = Form(""),
    sanction: str = Form(""),
    days: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    service.decide(
        db,
        user,
        case_id,
        action=action,
        reason=reason,
        sanction=sanction or None,
        days=int(days) if days.strip().isdigit() else None,
    )
    return redirect("/moderation", "Decision recorded; the person was told.")


@router.get("/notices", response_class=HTMLResponse)
def notices(
    request: Request, user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> Response:
    return render(
        request,
        "notices.html",
        {"notices": service.my_notices(db, user), "sanctions": service.my_sanctions(db, user)},
    )


@router.post("/notices/sanctions/{sanction_id}/appeal")
def appeal(
    request: Request,
    sanction_id: str,
    text: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    service.appeal(db, user, sanction_id, text)
    return redirect("/notices", "Your appeal was sent to the stewards.")


@router.get("/moderation/appeals", response_class=HTMLResponse)
def appeals(
    request: Request, user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> Response:
    return render(request, "appeals.html", {"appeals": service.open_appeals(db, user)})


@router.post("/moderation/appeals/{appeal_id}/decision")
def decide_appeal(
    request: Request,
    appeal_id: str,
    outcome: str = Form(...),
    answer: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    service.decide_appeal(db, user, appeal_id, overturn=outcome == "overturn", answer=answer)
    return redirect("/moderation/appeals", "The appeal is decided; the person was told.")
