"""Weave pages: a space's versions, a weave with attribution, the weaver's draft editor and moderation."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from dreamnexus.accounts.models import User
from dreamnexus.errors import InvalidInput
from dreamnexus.spaces import service as spaces
from dreamnexus.spaces import weaves
from dreamnexus.spaces.models import Contribution
from dreamnexus.web.deps import get_db, require_user
from dreamnexus.web.forms import guard_form, redirect
from dreamnexus.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/spaces/{space_id}/weaves", response_class=HTMLResponse)
def weave_list(
    request: Request,
    space_id: str,
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    space = spaces.visible_space(db, user, space_id)
    rows = weaves.list_weaves(db, user, space_id)
    context = {"space": space, "weaves": rows, "is_weaver": spaces.is_space_weaver(db, space, user)}
    return render(request, "weave_list.html", context)


@router.post("/spaces/{space_id}/weaves")
def weave_draft(
    request: Request,
    space_id: str,
    size: int = Form(24),
    seed: int = Form(0),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    draft = weaves.create_draft(
        db, user, space_id, weaves.WeaveRequest(size=size, seed=seed), request.app.state.settings.secret_key
    )
    return redirect(f"/weaves/{draft.public_id}", "A draft was woven. Review it, then publish.")


@router.get("/weaves/{weave_id}", response_class=HTMLResponse)
def weave_page(
    request: Request,
    weave_id: str,
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    row, space = weaves.get_weave(db, user, weave_id)
    mine = set(
        db.scalars(
            select(Contribution.public_id).where(
                Contribution.space_id == space.id, Contribution.contributor_id == user.id
            )
        )
    )
    passages = [
        {
            "index": i,
            "text": p["text"],
            "stage": p.get("stage", ""),
            "authors": sorted({s["author"] for s in p.get("sources", [])}),
            "is_mine": any(s["contribution_id"] in mine for s in p.get("sources", [])),
        }
        for i, p in enumerate(row.content.get("passages", []))
    ]
    context = {
        "space": space,
        "weave": row,
        "passages": passages,
        "is_weaver": spaces.is_space_weaver(db, space, user),
        "mine_count": sum(1 for p in passages if p["is_mine"]),
        "representation": row.content.get("representation", {}),
        "metrics": row.content.get("metrics", {}),
    }
    return render(request, "weave.html", context)


def _edit(
    request: Request, db: Session, user: User, weave_id: str, order: list[int] | None, drop: list[int]
) -> Response:
    weaves.edit_draft(db, user, weave_id, order=order, drop=drop)
    return redirect(f"/weaves/{weave_id}")


@router.post("/weaves/{weave_id}/move")
def move(
    request: Request,
    weave_id: str,
    index: int = Form(...),
    direction: str = Form(...),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    row, _ = weaves.get_weave(db, user, weave_id)
    count = len(row.content.get("passages", []))
    target = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"} or not (0 <= index < count and 0 <= target < count):
        raise InvalidInput("That passage cannot move that way.")
    order = list(range(count))
    order[index], order[target] = order[target], order[index]
    return _edit(request, db, user, weave_id, order, [])


@router.post("/weaves/{weave_id}/drop")
def drop(
    request: Request,
    weave_id: str,
    index: int = Form(...),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    return _edit(request, db, user, weave_id, None, [index])


@router.post("/weaves/{weave_id}/publish")
def publish(
    request: Request,
    weave_id: str,
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    row = weaves.publish(db, user, weave_id)
    return redirect(f"/weaves/{row.public_id}", f"Published as version {row.version}.")


@router.post("/weaves/{weave_id}/discard")
def discard(
    request: Request,
    weave_id: str,
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    _, space = weaves.get_weave(db, user, weave_id)
    weaves.discard_draft(db, user, weave_id)
    return redirect(f"/spaces/{space.public_id}/weaves", "The draft was discarded.")


@router.get("/spaces/{space_id}/moderate", response_class=HTMLResponse)
def moderate(
    request: Request,
    space_id: str,
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    space = spaces.visible_space(db, user, space_id)
    exclusions = weaves.space_exclusions(db, user, space_id)
    contributions = spaces.list_contributions(db, user, space_id)
    return render(
        request,
        "weave_moderate.html",
        {"space": space, "contributions": contributions, "exclusions": exclusions},
    )


@router.post("/spaces/{space_id}/exclusions")
def exclude(
    request: Request,
    space_id: str,
    contribution_id: str = Form(...),
    reason: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    weaves.exclude(db, user, space_id, contribution_id, reason)
    return redirect(
        f"/spaces/{space_id}/moderate", "The contribution is kept out of weaves; its contributor sees why."
    )


@router.post("/exclusions/{exclusion_id}/lift")
def lift(
    request: Request,
    exclusion_id: str,
    space_id: str = Form(...),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    weaves.lift_exclusion(db, user, exclusion_id)
    return redirect(f"/spaces/{space_id}/moderate", "The exclusion was lifted.")
