"""Site-wide pages: home, API reference, health."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, JSONResponse

from dreamnexus.accounts.models import User
from dreamnexus.journal import access
from dreamnexus.journal.models import Dream
from dreamnexus.web.deps import get_db, optional_user
from dreamnexus.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db, scope="function"),
) -> HTMLResponse:
    public_dreams = list(
        db.scalars(
            select(Dream).where(access.visible_condition(None)).order_by(Dream.created_at.desc()).limit(12)
        )
    )
    return render(request, "home.html", {"public_dreams": public_dreams})


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request, user: User | None = Depends(optional_user)) -> HTMLResponse:
    operations = [
        {"method": method.upper(), "path": path, "summary": op.get("summary", "")}
        for path, item in request.app.openapi()["paths"].items()
        for method, op in item.items()
    ]
    return render(request, "api_docs.html", {"operations": operations})


@router.get("/healthz")
def health(db: Session = Depends(get_db, scope="function")) -> JSONResponse:
    db.execute(select(1))
    return JSONResponse({"status": "ok"})
