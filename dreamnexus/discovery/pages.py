"""Discovery pages: resonant dreams, search over what I may see, and my dream exchanges."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from dreamnexus.accounts.models import User
from dreamnexus.discovery import service
from dreamnexus.errors import InvalidInput
from dreamnexus.journal import access
from dreamnexus.journal.models import Dream
from dreamnexus.web.deps import get_db, optional_user, require_user
from dreamnexus.web.forms import guard_form, redirect
from dreamnexus.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/dreams/{dream_id}/resonant", response_class=HTMLResponse)
def resonant(
    request: Request,
    dream_id: str,
    bridge: bool = False,
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    dream = access.visible_dream(db, user, dream_id)
    found = service.resonant_for(db, request.app.state.dream_index, user, dream_id, k=10, bridge=bridge)
    return render(request, "resonant.html", {"dream": dream, "found": found, "bridge": bridge})


@router.get("/discover", response_class=HTMLResponse)
def discover(
    request: Request,
    q: str = "",
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    results, errors = [], []
    if q.strip():
        try:
            results = service.semantic_search(db, request.app.state.dream_index, user, q, k=20)
        except InvalidInput as error:
            errors.append(error.detail)
    labels = {d.id: access.author_label(d, user) for d in results}
    return render(request, "discover.html", {"q": q, "results": results, "labels": labels, "errors": errors})


@router.get("/exchange", response_class=HTMLResponse)
def exchange(
    request: Request, user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> Response:
    offerable = list(
        db.scalars(
            select(Dream)
            .where(Dream.owner_id == user.id, Dream.consent_exchange.is_(True))
            .order_by(Dream.dreamt_on.desc())
        )
    )
    context = {
        "current": service.current_opt_in(db, user),
        "offerable": offerable,
        "exchanges": service.my_exchanges(db, user),
    }
    return render(request, "exchange.html", context)


@router.post("/exchange/opt-in")
def opt_in(
    request: Request,
    dream_id: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    service.opt_in(db, user, dream_id)
    return redirect("/exchange", "You are in the next exchange round.")


@router.post("/exchange/opt-out")
def opt_out(
    request: Request,
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    service.opt_out(db, user)
    return redirect("/exchange", "You left the next exchange round.")


@router.get("/exchange/{exchange_id}", response_class=HTMLResponse)
def exchange_pair(
    request: Request,
    exchange_id: str,
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    return render(request, "exchange_pair.html", {"view": service.get_exchange(db, user, exchange_id)})


@router.post("/exchange/{exchange_id}/reply")
def reply(
    request: Request,
    exchange_id: str,
    text: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    service.reply(db, user, exchange_id, text)
    return redirect(f"/exchange/{exchange_id}", "Your reply was sent.")


@router.post("/exchange/{exchange_id}/block")
def block(
    request: Request,
    exchange_id: str,
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    service.block_partner(db, user, exchange_id)
    return redirect("/exchange", "You will not be paired with this dreamer again.")
