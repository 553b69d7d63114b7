"""My data page, the export download, account erasure, and the public transparency page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from dreamnexus.accounts.models import User
from dreamnexus.errors import InvalidInput
from dreamnexus.mydata import service, transparency
from dreamnexus.web.deps import get_db, optional_user, require_user
from dreamnexus.web.forms import guard_form, redirect
from dreamnexus.web.security import SESSION_COOKIE
from dreamnexus.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/account/data", response_class=HTMLResponse)
def my_data(
    request: Request, user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> Response:
    return render(request, "my_data.html", {"data": service.collect(db, user)})


@router.get("/account/data/export.zip")
def export(user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")) -> Response:
    return Response(
        service.export_zip(db, user),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="dreamnexus-my-data.zip"'},
    )


@router.post("/account/delete")
def delete_account(
    request: Request,
    password: str = Form(""),
    confirm: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    errors = []
    if confirm.strip().lower() != "delete my account":
        errors.append("Type “delete my account” to confirm.")
    else:
        try:
            service.delete_account(db, user, password)
        except InvalidInput as error:
            errors.append(error.detail)
    if errors:
        return render(
            request, "my_data.html", {"data": service.collect(db, user), "errors": errors}, status=422
        )
    response = redirect("/", "Your account and your dreams are erased.")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/transparency", response_class=HTMLResponse)
def transparency_page(
    request: Request,
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    return render(request, "transparency.html", {"counts": transparency.totals(db)})
