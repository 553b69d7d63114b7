"""Space pages: the list, a space with its contributions, joining, inviting, contributing, withdrawing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from dreamnexus.accounts.models import Role, User
from dreamnexus.errors import Conflict, InvalidInput, PermissionDenied, validation_messages
from dreamnexus.i18n import gettext
from dreamnexus.journal import service as journal
from dreamnexus.journal.pages import dream_page, sign_in_first
from dreamnexus.spaces import service
from dreamnexus.spaces.models import Contribution, Space
from dreamnexus.spaces.schemas import ContributionCreate, SpaceCreate, SpaceUpdate
from dreamnexus.web.deps import get_db, optional_user, require_user
from dreamnexus.web.forms import guard_form, redirect, safe_next
from dreamnexus.web.templating import page_locale, render

router = APIRouter(include_in_schema=False)


@dataclass
class SpaceForm:
    title: str = ""
    description: str = ""
    is_open: bool = True
    guidelines: str = ""
    content_note: str = ""

    @classmethod
    def of(cls, space: Space) -> SpaceForm:
        return cls(space.title, space.description, space.is_open, space.guidelines, space.content_note)

    def fields(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "description": self.description.replace("\r\n", "\n"),
            "is_open": self.is_open,
            "guidelines": self.guidelines.replace("\r\n", "\n"),
            "content_note": self.content_note,
        }


def _require_space_creator(user: User) -> None:
    if not user.has_role(Role.weaver):
        raise PermissionDenied("Only weavers create spaces.")


@router.get("/spaces", response_class=HTMLResponse)
def list_spaces(
    request: Request,
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    found = service.list_spaces(db, user)
    mine = {s.id for s in service.member_spaces(db, user)} if user is not None else set()
    context = {
        "spaces": found,
        "member_of": mine,
        "can_create": user is not None and user.has_role(Role.weaver),
    }
    return render(request, "spaces.html", context)


@router.get("/spaces/new", response_class=HTMLResponse)
def new_space_form(request: Request, user: User | None = Depends(optional_user)) -> Response:
    if user is None:
        return sign_in_first(request)
    _require_space_creator(user)
    return render(request, "space_form.html", {"form": SpaceForm(), "space": None, "errors": []})


@router.post("/spaces/new")
def create_space(
    request: Request,
    title: str = Form(""),
    description: str = Form(""),
    access: str = Form("open"),
    guidelines: str = Form(""),
    content_note: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    _require_space_creator(user)
    form = SpaceForm(title, description, access != "invite", guidelines, content_note)
    try:
        data = SpaceCreate(**form.fields())
    except ValidationError as error:
        context = {"form": form, "space": None, "errors": validation_messages(error)}
        return render(request, "space_form.html", context, status=422)
    space = service.create_space(db, user, data)
    return redirect(f"/spaces/{space.public_id}", gettext("The space is ready.", page_locale(request)))


def space_page(
    request: Request,
    db: Session,
    user: User | None,
    space: Space,
    *,
    invite_url: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    member = service.membership(db, space, user)
    context = {
        "space": space,
        "is_member": member is not None,
        "is_weaver": member is not None and member.role == "weaver",
        "is_creator": user is not None and space.created_by == user.id,
        "contributions": service.list_contributions(db, user, space.public_id) if member is not None else [],
        "invite_url": invite_url,
    }
    return render(request, "space.html", context, status=status)


@router.get("/spaces/{space_id}", response_class=HTMLResponse)
def show_space(
    request: Request,
    space_id: str,
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    return space_page(request, db, user, service.visible_space(db, user, space_id))


@router.get("/spaces/{space_id}/edit", response_class=HTMLResponse)
def edit_space_form(
    request: Request,
    space_id: str,
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    if user is None:
        return sign_in_first(request)
    space = service.visible_space(db, user, space_id)
    if not service.is_space_weaver(db, space, user):
        raise PermissionDenied("Only this space's weavers can change it.")
    return render(request, "space_form.html", {"form": SpaceForm.of(space), "space": space, "errors": []})


@router.post("/spaces/{space_id}/edit")
def edit_space(
    request: Request,
    space_id: str,
    title: str = Form(""),
    description: str = Form(""),
    access: str = Form("open"),
    guidelines: str = Form(""),
    content_note: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    space = service.visible_space(db, user, space_id)
    form = SpaceForm(title, description, access != "invite", guidelines, content_note)
    try:
        data = SpaceUpdate(**form.fields())
        SpaceCreate(**form.fields())  # the edited space must still be valid as new (e.g. a non-blank title)
    except ValidationError as error:
        context = {"form": form, "space": space, "errors": validation_messages(error)}
        return render(request, "space_form.html", context, status=422)
    service.update_space(db, user, space_id, data)
    return redirect(f"/spaces/{space.public_id}", gettext("The space is updated.", page_locale(request)))


@router.post("/spaces/{space_id}/join")
def join_space(
    request: Request,
    space_id: str,
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    service.join_space(db, user, space_id)
    return redirect(f"/spaces/{space_id}", gettext("You joined the space.", page_locale(request)))


@router.post("/spaces/{space_id}/leave")
def leave_space(
    request: Request,
    space_id: str,
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    service.leave_space(db, user, space_id)
    notice = gettext("You left the space; your contributions to it are withdrawn.", page_locale(request))
    return redirect("/spaces", notice)


@router.post("/spaces/{space_id}/invites")
def create_invite(
    request: Request,
    space_id: str,
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    raw = service.create_invite(db, user, space_id)
    space = service.visible_space(db, user, space_id)
    # Only the hash is stored, so the link is shown on this response and never again.
    url = str(request.url_for("invite_page", token=raw))
    return space_page(request, db, user, space, invite_url=url, status=201)


def _contribute(
    request: Request, db: Session, user: User, space_id: str, dream_id: str, excerpt: str, warning: str
) -> Response:
    dream = journal.own_dream(db, user, dream_id)
    values = {"space_id": space_id, "excerpt": excerpt, "content_warning": warning}
    try:
        data = ContributionCreate(
            dream_id=dream_id, excerpt=excerpt.replace("\r\n", "\n") or None, content_warning=warning or None
        )
        service.contribute(db, user, space_id, data)
    except ValidationError as error:
        return dream_page(
            request,
            db,
            user,
            dream,
            contribute_errors=validation_messages(error),
            contribute_values=values,
            status=422,
        )
    except (InvalidInput, Conflict) as error:
        return dream_page(
            request,
            db,
            user,
            dream,
            contribute_errors=[error.detail],
            contribute_values=values,
            status=error.status,
        )
    notice = gettext("Your dream is shared in the space.", page_locale(request))
    return redirect(f"/spaces/{space_id}", notice)


@router.post("/spaces/contribute")
def contribute_chosen_space(
    request: Request,
    space_id: str = Form(""),
    dream_id: str = Form(""),
    excerpt: str = Form(""),
    content_warning: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """The dream page's form, whose space is picked from a menu (a form's action cannot follow a menu)."""
    guard_form(request, csrf_token, user_id=user.id)
    return _contribute(request, db, user, space_id, dream_id, excerpt, content_warning)


@router.post("/spaces/{space_id}/contribute")
def contribute(
    request: Request,
    space_id: str,
    dream_id: str = Form(""),
    excerpt: str = Form(""),
    content_warning: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    return _contribute(request, db, user, space_id, dream_id, excerpt, content_warning)


@router.post("/contributions/{contribution_id}/withdraw")
def withdraw(
    request: Request,
    contribution_id: str,
    next: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    contribution: Contribution = service.withdraw(db, user, contribution_id)
    notice = gettext("The contribution is withdrawn.", page_locale(request))
    if next:
        return redirect(safe_next(next), notice)
    space = db.get(Space, contribution.space_id)
    return redirect(f"/spaces/{space.public_id}" if space else "/spaces", notice)


@router.get("/invites/{token}", response_class=HTMLResponse, name="invite_page")
def invite_page(
    request: Request,
    token: str,
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    space = service.invite_space(db, token) if user is not None else None
    already = space is not None and service.membership(db, space, user) is not None
    return render(request, "invite.html", {"token": token, "space": space, "already_member": already})


@router.post("/invites/{token}")
def accept_invite(
    request: Request,
    token: str,
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    space = service.accept_invite(db, user, token)
    return redirect(f"/spaces/{space.public_id}", gettext("You joined the space.", page_locale(request)))
