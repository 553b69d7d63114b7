"""Account pages: sign up, sign in, sign out, my account (tokens, consent ledger), roles for stewards."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from dreamnexus.accounts import recovery, service, twofactor
from dreamnexus.accounts.models import Role, User
from dreamnexus.errors import InvalidInput, RateLimited
from dreamnexus.journal import service as journal
from dreamnexus.mail import deliver_pending
from dreamnexus.mydata.transparency import bump_detached
from dreamnexus.web.deps import (
    Auth,
    client_ip,
    get_auth,
    get_db,
    limit_password_resets,
    limit_registrations,
    optional_user,
    require_signed_in,
    require_user,
)
from dreamnexus.web.forms import guard_form, redirect, safe_next
from dreamnexus.web.security import SESSION_COOKIE
from dreamnexus.web.templating import render

router = APIRouter(include_in_schema=False)
MFA_COOKIE = "dn_mfa"


def _sign_in_response(request: Request, db: Session, user: User, next_url: str) -> Response:
    settings = request.app.state.settings
    raw = service.start_web_session(
        db, user, days=settings.session_days, user_agent=request.headers.get("user-agent", "")
    )
    response = redirect(safe_next(next_url))
    response.set_cookie(
        SESSION_COOKIE,
        raw,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=settings.session_days * 86400,
        path="/",
    )
    return response


@router.get("/signup", response_class=HTMLResponse)
def signup_form(request: Request, user: User | None = Depends(optional_user)) -> Response:
    return render(request, "signup.html", {"values": {}})


@router.post("/signup")
def signup(
    request: Request,
    email: str = Form(""),
    password: str = Form(""),
    display_name: str = Form(""),
    csrf_token: str = Form(""),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token)
    limit_registrations(request)
    try:
        user = service.register(db, email=email, password=password, display_name=display_name or None)
    except InvalidInput as error:
        values = {"email": email, "display_name": display_name}
        return render(request, "signup.html", {"errors": [error.detail], "values": values}, status=422)
    except service.Conflict as error:
        values = {"email": email, "display_name": display_name}
        return render(request, "signup.html", {"errors": [error.detail], "values": values}, status=409)
    return _sign_in_response(request, db, user, "/journal")


@router.get("/signin", response_class=HTMLResponse)
def signin_form(
    request: Request, next: str = "/journal", user: User | None = Depends(optional_user)
) -> Response:
    return render(request, "signin.html", {"values": {}, "next": safe_next(next)})


@router.post("/signin")
def signin(
    request: Request,
    email: str = Form(""),
    password: str = Form(""),
    next: str = Form("/journal"),
    csrf_token: str = Form(""),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token)
    try:
        user = service.authenticate(
            db, email=email, password=password, ip=client_ip(request), throttle=request.app.state.throttle
        )
    except InvalidInput as error:
        context = {"errors": [error.detail], "values": {"email": email}, "next": safe_next(next)}
        return render(request, "signin.html", context, status=400)
    except RateLimited as error:
        context = {"errors": [error.detail], "values": {"email": email}, "next": safe_next(next)}
        bump_detached(request.app.state.db, "rate_limited")
        response = render(request, "signin.html", context, status=429)
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    if user.totp_enabled:
        response = redirect("/signin/2fa?next=" + quote(safe_next(next)))
        response.set_cookie(
            MFA_COOKIE,
            twofactor.issue_ticket(request.app.state.settings.secret_key, user),
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.secure_cookies,
            max_age=twofactor.TICKET_S,
            path="/",
        )
        return response
    if twofactor.needs_setup(user):
        return _sign_in_response(request, db, user, "/account/2fa")
    return _sign_in_response(request, db, user, next)


@router.get("/signin/2fa", response_class=HTMLResponse)
def second_factor_form(request: Request, next: str = "/journal") -> Response:
    if twofactor.read_ticket(request.app.state.settings.secret_key, request.cookies.get(MFA_COOKIE)) is None:
        return redirect("/signin", "Sign in again: the sign-in took too long.")
    return render(request, "signin_2fa.html", {"next": safe_next(next)})


@router.post("/signin/2fa")
def second_factor(
    request: Request,
    code: str = Form(""),
    next: str = Form("/journal"),
    csrf_token: str = Form(""),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token)
    public_id = twofactor.read_ticket(request.app.state.settings.secret_key, request.cookies.get(MFA_COOKIE))
    user = db.scalar(select(User).where(User.public_id == public_id)) if public_id else None
    if user is None or not user.is_active:
        return redirect("/signin", "Sign in again: the sign-in took too long.")
    throttle = request.app.state.throttle
    try:
        throttle.check(user.email, client_ip(request))
        twofactor.verify_second_factor(db, user, code)
    except RateLimited as error:
        bump_detached(request.app.state.db, "rate_limited")
        response = render(
            request, "signin_2fa.html", {"next": safe_next(next), "errors": [error.detail]}, status=429
        )
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    except InvalidInput as error:
        throttle.failed(user.email, client_ip(request))
        return render(
            request, "signin_2fa.html", {"next": safe_next(next), "errors": [error.detail]}, status=400
        )
    response = _sign_in_response(request, db, user, next)
    response.delete_cookie(MFA_COOKIE, path="/")
    return response


@router.get("/account/2fa", response_class=HTMLResponse)
def two_factor(
    request: Request, user: User = Depends(require_signed_in), db: Session = Depends(get_db, scope="function")
) -> Response:
    context: dict[str, object] = {"enabled": user.totp_enabled, "required": user.must_use_totp}
    if user.totp_enabled:
        context["remaining"] = twofactor.remaining_recovery_codes(db, user)
    else:
        context["secret"], context["uri"] = twofactor.begin_setup(db, user)
    return render(request, "two_factor.html", context)


@router.post("/account/2fa/enable")
def two_factor_enable(
    request: Request,
    code: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_signed_in),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    try:
        codes = twofactor.enable(db, user, code)
    except InvalidInput as error:
        secret, uri = twofactor.begin_setup(db, user)
        context = {
            "enabled": False,
            "required": user.must_use_totp,
            "secret": secret,
            "uri": uri,
            "errors": [error.detail],
        }
        return render(request, "two_factor.html", context, status=422)
    context = {
        "enabled": True,
        "required": user.must_use_totp,
        "recovery_codes": codes,
        "remaining": len(codes),
    }
    return render(request, "two_factor.html", context)


@router.post("/account/2fa/disable")
def two_factor_disable(
    request: Request,
    password: str = Form(""),
    code: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_signed_in),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    twofactor.disable(db, user, password, code)
    return redirect("/account/2fa", "Two-factor authentication is off.")


@router.post("/signout")
def signout(
    request: Request,
    csrf_token: str = Form(""),
    auth: Auth = Depends(get_auth),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token)
    if auth.session_token:
        service.end_web_session(db, auth.session_token)
    response = redirect("/", "You are signed out.")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _account_context(
    db: Session, user: User, session_token: str | None, new_token: str | None = None
) -> dict:
    return {
        "sessions": recovery.list_sessions(db, user),
        "current_session": service.digest_of(session_token) if session_token else None,
        "tokens": service.list_api_tokens(db, user),
        "ledger": journal.consent_ledger(db, user)[:200],
        "new_token": new_token,
    }


@router.get("/account", response_class=HTMLResponse)
def account(
    request: Request, auth: Auth = Depends(get_auth), db: Session = Depends(get_db, scope="function")
) -> Response:
    user = require_user(auth)
    return render(request, "account.html", _account_context(db, user, auth.session_token))


@router.post("/account/tokens")
def create_token(
    request: Request,
    name: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    _, raw = service.create_api_token(db, user, name)
    context = _account_context(db, user, request.cookies.get(SESSION_COOKIE), new_token=raw)
    return render(request, "account.html", context, status=201)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    request: Request,
    token_id: str,
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    service.revoke_api_token(db, user, token_id)
    return redirect("/account", "The token was revoked.")


@router.get("/admin/users", response_class=HTMLResponse)
def people(
    request: Request, user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> Response:
    return render(
        request, "people.html", {"users": service.list_users(db, user), "roles": [r.value for r in Role]}
    )


@router.post("/admin/users/grant")
def grant(
    request: Request,
    email: str = Form(""),
    role: str = Form(""),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    target = service.grant_role(db, user, email=email, role=role)
    return redirect("/admin/users", f"{target.email} is now a {target.role}.")


@router.get("/password/forgot", response_class=HTMLResponse)
def forgot_form(request: Request, user: User | None = Depends(optional_user)) -> Response:
    return render(request, "password_forgot.html", {"sent": False})


@router.post("/password/forgot")
def forgot(
    request: Request,
    background: BackgroundTasks,
    email: str = Form(""),
    csrf_token: str = Form(""),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token)
    limit_password_resets(request, email)
    recovery.request_reset(db, email, request.app.state.settings.base_url)
    background.add_task(deliver_pending, request.app.state.db, request.app.state.settings)
    return render(request, "password_forgot.html", {"sent": True})


@router.get("/password/reset/{token}", response_class=HTMLResponse)
def reset_form(
    request: Request,
    token: str,
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    recovery.check_reset_token(db, token)
    return render(request, "password_reset.html", {"token": token})


@router.post("/password/reset/{token}")
def reset(
    request: Request,
    token: str,
    password: str = Form(""),
    csrf_token: str = Form(""),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token)
    limit_password_resets(request, "")
    try:
        recovery.reset_password(db, token, password)
    except InvalidInput as error:
        return render(request, "password_reset.html", {"token": token, "errors": [error.detail]}, status=422)
    return redirect("/signin", "Your password was changed. Sign in with it.")


@router.post("/account/sessions/{session_id}/revoke")
def revoke_session(
    request: Request,
    session_id: str,
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    recovery.revoke_session(db, user, session_id)
    return redirect("/account", "That browser is signed out.")


@router.post("/account/sessions/revoke-others")
def revoke_other_sessions(
    request: Request,
    csrf_token: str = Form(""),
    auth: Auth = Depends(get_auth),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    user = require_user(auth)
    guard_form(request, csrf_token, user_id=user.id)
    count = recovery.revoke_other_sessions(db, user, auth.session_token)
    return redirect("/account", f"{count} other browser(s) signed out.")
