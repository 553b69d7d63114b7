"""My data under /api/v1/me: everything held about me, its export, and erasing my account."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import User
from dreamnexus.mydata import service
from dreamnexus.web.deps import api_write, get_db, require_user
from dreamnexus.web.security import SESSION_COOKIE

router = APIRouter(prefix="/api/v1", tags=["my data"])


class DeleteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: str = Field(max_length=1024)


@router.get("/me/data", summary="Everything the platform holds about me")
def my_data(
    user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> dict[str, Any]:
    return service.collect(db, user)


@router.get(
    "/me/export",
    summary="My data as a zip of JSON and Markdown",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}},
)
def export(user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")) -> Response:
    return Response(
        service.export_zip(db, user),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="dreamnexus-my-data.zip"'},
    )


@router.post("/me/delete", status_code=204, summary="Erase my account and my dreams")
def delete_me(
    body: DeleteIn, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> Response:
    service.delete_account(db, user, body.password)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
