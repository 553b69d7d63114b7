"""Journal pages: my journal, the dream form, the dream page with its analysis, edit and delete."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Request
from markupsafe import Markup, escape
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from dreamnexus.accounts.models import User
from dreamnexus.analysis.result import Character
from dreamnexus.errors import validation_messages
from dreamnexus.i18n import gettext
from dreamnexus.journal import access, service
from dreamnexus.journal.models import Consent, Dream, Visibility
from dreamnexus.journal.schemas import MAX_TEXT, DreamCreate, DreamFilters, DreamUpdate
from dreamnexus.spaces import service as spaces
from dreamnexus.spaces import weaves
from dreamnexus.web.deps import get_db, optional_user, require_user
from dreamnexus.web.forms import guard_form, redirect
from dreamnexus.web.templating import page_locale, render

router = APIRouter(include_in_schema=False)

LANGUAGES = ("en", "es", "de", "fr", "it", "pt", "nl")
CONSENTS = tuple(c.value for c in Consent)
PER_PAGE = 20


def sign_in_first(request: Request) -> Response:
    """Pages a visitor reached while signed out send them to sign in and come back."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return redirect(f"/signin?next={quote(target, safe='')}")


# --- the evidence view ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceNote:
    """One coded span, for the 'Why was this coded?' list; `marked` is False when it overlapped another."""

    number: int
    code: str
    label: str
    quote: str
    marked: bool


_CLASS_SAFE = re.compile(r"[^a-z0-9_-]")


def _as_offset(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def highlight_evidence(text: str, evidence: Any) -> tuple[Markup, list[EvidenceNote]]:
    """The dream text with each evidence span in <mark>, every piece escaped.

    Offsets come from stored analyses that may be stale or malformed, so they are clamped to the text,
    and a span overlapping one already marked is listed but not marked (nested marks would misread).
    """
    spans: list[tuple[int, int, str, str]] = []
    for item in evidence if isinstance(evidence, list) else []:
        if not isinstance(item, dict):
            continue
        start, end = _as_offset(item.get("start")), _as_offset(item.get("end"))
        if start is None or end is None:
            continue
        start = max(0, min(start, len(text)))
        end = max(start, min(end, len(text)))
        if end > start:
            spans.append((start, end, str(item.get("code", "")), str(item.get("label", ""))))
    spans.sort(key=lambda s: (s[0], -s[1]))

    pieces: list[Markup] = []
    notes: list[EvidenceNote] = []
    cursor = 0
    for number, (start, end, code, label) in enumerate(spans, start=1):
        marked = start >= cursor
        notes.append(EvidenceNote(number, code, label, text[start:end], marked))
        if not marked:
            continue
        pieces.append(escape(text[cursor:start]))
        pieces.append(
            Markup(
                '<mark id="evidence-{n}" class="evidence evidence-{css}" title="{title}" '
                'aria-describedby="why-{n}">{body}</mark>'
            ).format(
                n=number,
                css=_CLASS_SAFE.sub("", code.lower()),
                title=f"{code}: {label}",
                body=text[start:end],
            )
        )
        cursor = end
    pieces.append(escape(text[cursor:]))
    return Markup("").join(pieces), notes


def character_label(row: Any) -> str:
    if not isinstance(row, dict):
        return ""
    try:
        names = set(Character.__dataclass_fields__)
        return Character(**{k: v for k, v in row.items() if k in names}).label
    except (TypeError, ValueError):
        return str(row.get("head", ""))


def analysis_view(dream: Dream) -> dict[str, Any] | None:
    """What the dream page shows of a stored analysis; tolerant of older or partial results."""
    data = dream.analysis
    if not isinstance(data, dict):
        return None
    highlighted, notes = highlight_evidence(dream.text, data.get("evidence"))

    def rows(name: str) -> list[dict[str, Any]]:
        value = data.get(name)
        return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []

    def number(name: str) -> float | None:
        value = data.get(name)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    return {
        "valence": number("valence"),
        "arousal": number("arousal"),
        "emotions": rows("emotions"),
        "characters": [character_label(c) for c in rows("characters")],
        "themes": [str(t) for t in data.get("themes", []) if isinstance(t, str)]
        if isinstance(data.get("themes"), list)
        else [],
        "uncoded": [str(t) for t in data.get("uncoded", []) if isinstance(t, str)]
        if isinstance(data.get("uncoded"), list)
        else [],
        "version": str(data.get("version", "")),
        "highlighted": highlighted,
        "notes": notes,
    }


# --- the dream form ---------------------------------------------------------------------------------------


@dataclass
class DreamForm:
    """The raw values of the dream form, kept as typed so that a failed post re-renders them."""

    text: str = ""
    title: str = ""
    dreamt_on: str = ""
    tags: str = ""
    lucid: bool = False
    mood: str = ""
    language: str = ""
    visibility: str = Visibility.private.value
    consents: dict[str, bool] | None = None

    @classmethod
    def of(cls, dream: Dream) -> DreamForm:
        return cls(
            text=dream.text,
            title=dream.title,
            dreamt_on=dream.dreamt_on.isoformat(),
            tags=", ".join(dream.tag_names),
            lucid=dream.lucid,
            mood="" if dream.mood is None else str(dream.mood),
            language=dream.language if dream.language_is_set else "",
            visibility=dream.visibility,
            consents=dream.consents(),
        )

    def fields(self) -> dict[str, Any]:
        """Keyword arguments for DreamCreate / DreamUpdate; pydantic does the checking."""
        return {
            "text": self.text,
            "title": self.title,
            "dreamt_on": self.dreamt_on.strip() or None,
            "tags": [t for t in self.tags.split(",") if t.strip()],
            "lucid": self.lucid,
            "mood": self.mood.strip() or None,
            "language": self.language.strip() or None,
            "visibility": self.visibility,
            "consents": dict(self.consents or {}),
        }


def _form_context(form: DreamForm, *, dream: Dream | None, errors: list[str] | None = None) -> dict[str, Any]:
    languages = list(LANGUAGES)
    if form.language and form.language not in languages:
        languages.append(form.language)  # set through the API to a language the menu does not list
    return {
        "form": form,
        "dream": dream,
        "errors": errors or [],
        "languages": languages,
        "consent_names": CONSENTS,
        "max_text": MAX_TEXT,
    }


def _read_form(
    text: str = Form(""),
    title: str = Form(""),
    dreamt_on: str = Form(""),
    tags: str = Form(""),
    lucid: str | None = Form(None),
    mood: str = Form(""),
    language: str = Form(""),
    visibility: str = Form("private"),
    consent_weaving: str | None = Form(None),
    consent_festival: str | None = Form(None),
    consent_research: str | None = Form(None),
    consent_exchange: str | None = Form(None),
) -> DreamForm:
    """The dream form's fields as posted (the new and the edit form are the same form)."""
    consents = {
        "weaving": consent_weaving,
        "festival": consent_festival,
        "research": consent_research,
        "exchange": consent_exchange,
    }
    return DreamForm(
        text=text,
        title=title,
        dreamt_on=dreamt_on,
        tags=tags,
        lucid=lucid is not None,
        mood=mood,
        language=language,
        visibility=visibility,
        consents={k: v is not None for k, v in consents.items()},
    )


@router.get("/dreams/new", response_class=HTMLResponse)
def new_dream_form(request: Request, user: User | None = Depends(optional_user)) -> Response:
    if user is None:
        return sign_in_first(request)
    form = DreamForm(dreamt_on=date.today().isoformat(), consents=dict.fromkeys(CONSENTS, False))
    return render(request, "dream_form.html", _form_context(form, dream=None))


@router.post("/dreams/new")
def create_dream(
    request: Request,
    form: DreamForm = Depends(_read_form),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    try:
        data = DreamCreate(**form.fields())
    except ValidationError as error:
        context = _form_context(form, dream=None, errors=validation_messages(error))
        return render(request, "dream_form.html", context, status=422)
    dream = service.create_dream(db, user, data)
    return redirect(f"/dreams/{dream.public_id}", gettext("Your dream is saved.", page_locale(request)))


@router.get("/dreams/{dream_id}/edit", response_class=HTMLResponse)
def edit_dream_form(
    request: Request,
    dream_id: str,
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    if user is None:
        return sign_in_first(request)
    dream = service.own_dream(db, user, dream_id)
    return render(request, "dream_form.html", _form_context(DreamForm.of(dream), dream=dream))


@router.post("/dreams/{dream_id}/edit")
def edit_dream(
    request: Request,
    dream_id: str,
    form: DreamForm = Depends(_read_form),
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    dream = service.own_dream(db, user, dream_id)
    try:
        data = DreamUpdate(**form.fields())
    except ValidationError as error:
        context = _form_context(form, dream=dream, errors=validation_messages(error))
        return render(request, "dream_form.html", context, status=422)
    service.update_dream(db, user, dream_id, data)
    return redirect(f"/dreams/{dream.public_id}", gettext("Your changes are saved.", page_locale(request)))


# --- the dream page ----------------------------------------------------------------------------------------


def dream_page(
    request: Request,
    db: Session,
    viewer: User | None,
    dream: Dream,
    *,
    contribute_errors: list[str] | None = None,
    contribute_values: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The dream page; the spaces pages reuse it to show a failed contribution next to its form."""
    mine = viewer is not None and dream.owner_id == viewer.id
    context: dict[str, Any] = {
        "dream": dream,
        "mine": mine,
        "author": access.author_label(dream, viewer),
        "contribute_errors": contribute_errors or [],
        "contribute_values": contribute_values or {},
    }
    if mine and viewer is not None:
        contributions = spaces.my_contributions(db, viewer, dream)
        shared_in = {space.id for _, space in contributions}
        exclusions = {c.id: e for e, c, _ in weaves.exclusions_for_contributor(db, viewer)}
        context.update(
            contributions=contributions,
            open_spaces=[s for s in spaces.member_spaces(db, viewer) if s.id not in shared_in],
            analysis=analysis_view(dream),
            consent_names=CONSENTS,
            appearances=weaves.appearances(db, viewer, dream),
            exclusions={c.public_id: exclusions[c.id] for c, _ in contributions if c.id in exclusions},
        )
    return render(request, "dream.html", context, status=status)


@router.get("/dreams/{dream_id}", response_class=HTMLResponse)
def show_dream(
    request: Request,
    dream_id: str,
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    return dream_page(request, db, user, access.read_dream(db, user, dream_id))


@router.get("/dreams/{dream_id}/delete", response_class=HTMLResponse)
def confirm_delete(
    request: Request,
    dream_id: str,
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    if user is None:
        return sign_in_first(request)
    return render(request, "dream_delete.html", {"dream": service.own_dream(db, user, dream_id)})


@router.post("/dreams/{dream_id}/delete")
def delete_dream(
    request: Request,
    dream_id: str,
    csrf_token: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    service.delete_dream(db, user, dream_id)
    return redirect("/journal", gettext("The dream was deleted.", page_locale(request)))


# --- the journal -------------------------------------------------------------------------------------------


@router.get("/journal", response_class=HTMLResponse)
def journal(
    request: Request,
    tag: str = "",
    q: str = "",
    page: str = "1",
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    if user is None:
        return sign_in_first(request)
    # `from` is a Python keyword, so the two dates are read from the query string directly.
    date_from = request.query_params.get("from", "")
    date_to = request.query_params.get("to", "")
    values = {"tag": tag, "q": q, "from": date_from, "to": date_to}
    try:
        filters = DreamFilters(
            tag=tag.strip() or None,
            q=q.strip() or None,
            date_from=date_from or None,
            date_to=date_to or None,
            page=page or 1,
            per_page=PER_PAGE,
        )
    except ValidationError as error:
        context = {"values": values, "errors": validation_messages(error), "result": None}
        return render(request, "journal.html", context, status=422)
    result = service.list_dreams(db, user, filters)
    kept = {k: v for k, v in values.items() if v}

    def page_url(number: int) -> str:
        return "/journal?" + urlencode({**kept, "page": number})

    context = {
        "values": values,
        "errors": [],
        "result": result,
        "filtered": bool(kept),
        "prev_url": page_url(result.page - 1) if result.page > 1 else None,
        "next_url": page_url(result.page + 1) if result.page < result.pages else None,
    }
    return render(request, "journal.html", context)
