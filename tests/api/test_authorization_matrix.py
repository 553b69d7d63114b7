"""The authorization matrix: every role x every route x every relation to the object, as one table.

Each row of MATRIX names a route (method, path template), the kind of object its path points at, and for
each relation of the viewer to that object the status each role must get, in the order of ROLES. Objects are
shared between cells only while requests leave them as they were: a row names the relations its request
destroys or changes (`consumes`), and those cells get objects of their own. The routes are
enumerated from the app: a route missing from the table (or a row whose route is gone) fails
`test_every_route_is_in_the_matrix`, so a new route cannot slip in unclassified.

Relations, by object kind:
- dream: own | private (another's) | public (another's) | shared-member (another's, contributed to a space
  the viewer belongs to) | shared-outsider (the same, viewer not a member)
- space: own (the viewer is its weaver) | member (open, joined) | open (not joined) | closed (invite-only, not
  a member) | closed-member (invite-only, joined by invite). Every space holds a contribution by someone else.
- token / contribution: own | other
- invite: valid (an invite to an invite-only space the viewer is not in)
- missing: made-up ids (for routes whose objects this suite does not build) ("-")
- none: the route's path names no object ("-")
`None` in a tuple means the cell cannot exist (an anonymous visitor owns nothing); a frozenset allows any of
its statuses. Rows about objects run on SQLite and PostgreSQL (visibility is decided in SQL); rows of kind
none/missing, whose answer does not depend on the database, on SQLite only.
"""

from __future__ import annotations

import itertools
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from dreamnexus.accounts import service as accounts
from dreamnexus.accounts import totp
from dreamnexus.accounts.models import User
from dreamnexus.config import Settings
from dreamnexus.db.base import utcnow
from dreamnexus.db.engine import Database
from dreamnexus.journal import service as journal
from dreamnexus.journal.schemas import DreamCreate
from dreamnexus.spaces import service as spaces
from dreamnexus.spaces.schemas import ContributionCreate, SpaceCreate
from dreamnexus.tokens import sign
from dreamnexus.web.app import create_app

ROLES = ("anonymous", "dreamer", "weaver", "researcher", "steward")
PASSWORD = "a long enough test passphrase"
SECRET = "matrix-secret-key"
CSRF_SEED = "matrix-csrf-seed"
Status = int | frozenset[int] | None  # a set: any of these (e.g. allowed, but the object is not ready yet)
Row = tuple[Status, Status, Status, Status, Status]


# --- the table ---------------------------------------------------------------------------------------------


def every(status: Status) -> Row:
    return (status, status, status, status, status)


def signed_in(status: Status, anonymous: Status = 401) -> Row:
    return (anonymous, status, status, status, status)


def stewards(status: int, others: int = 403, anonymous: int = 401) -> Row:
    return (anonymous, others, others, others, status)


def weavers(status: int, others: int = 403, anonymous: int = 401) -> Row:
    return (anonymous, others, status, others, status)


def own_only(status: Status, anonymous: Status = 401) -> dict[str, Row]:
    """Writes to my own dream; anyone else's is 404 exactly like a dream that does not exist."""
    return {
        "own": signed_in(status, None),
        "private": signed_in(404, anonymous),
        "public": signed_in(404, anonymous),
        "shared-member": signed_in(404, None),
        "shared-outsider": signed_in(404, anonymous),
    }


DREAM_READ = {
    "own": signed_in(200, None),
    "private": every(404),
    "public": every(200),
    "shared-member": signed_in(200, None),
    "shared-outsider": every(404),
}


def space_rule(
    own: Status,
    member: Status,
    open_: Status,
    closed_member: Status,
    *,
    anonymous: Status = 401,
    anonymous_open: Status = None,
) -> dict[str, Row]:
    """Invite-only spaces are 404 to non-members whatever they try, as if they did not exist."""
    return {
        "own": (None, None, own, None, own),  # only weavers (and stewards) can have made a space
        "member": signed_in(member, None),
        "open": signed_in(open_, anonymous if anonymous_open is None else anonymous_open),
        "closed": signed_in(404, anonymous),
        "closed-member": signed_in(closed_member, None),
    }


@dataclass(frozen=True)
class Rule:
    kind: str  # none | dream | space | token | contribution | invite | missing
    expect: dict[str, Row]
    body: Callable[[Cell], dict[str, Any]] | None = None
    bug: str | None = None  # a known bug: the row is expected to fail (strict xfail) until it is fixed
    consumes: frozenset[str] = frozenset()  # relations the request destroys or changes: built afresh
    ends_auth: bool = False  # the request revokes the credentials it came with


@dataclass
class Cell:
    """One request of the matrix: who asks, about which object."""

    world: World
    role: str
    relation: str
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def email(self) -> str:
        return self.world.emails["owner" if self.role == "anonymous" else self.role]


def new_account(cell: Cell) -> dict[str, Any]:
    return {"email": f"new{next(cell.world.counter)}@example.org", "password": PASSWORD}


def credentials(cell: Cell) -> dict[str, Any]:
    """Sign-in details; privileged roles have 2FA on, so the API sign-in sends a current code."""
    body: dict[str, Any] = {"email": cell.email, "password": PASSWORD}
    secret = cell.world.totp_secrets.get(cell.role)
    if secret is not None:
        body["totp"] = totp.code_at(secret, totp.current_step())
    return body


def grant(cell: Cell) -> dict[str, Any]:
    return {"email": cell.world.emails["owner"], "role": "dreamer"}


def dream_text(cell: Cell) -> dict[str, Any]:
    return {"text": "A dream written for the authorization matrix."}


def space_title(cell: Cell) -> dict[str, Any]:
    return {"title": f"Space {next(cell.world.counter)}"}


def my_dream(cell: Cell) -> dict[str, Any]:
    return {"dream_id": cell.ids["my_dream_id"]}


def my_dream_in_space(cell: Cell) -> dict[str, Any]:
    return {"dream_id": cell.ids["my_dream_id"], "space_id": cell.ids["space_id"]}


def invite_token(cell: Cell) -> dict[str, Any]:
    return {"token": cell.ids["token"]}


def token_name(cell: Cell) -> dict[str, Any]:
    return {"name": "matrix"}


def nothing(cell: Cell) -> dict[str, Any]:
    return {}


OWN = frozenset({"own"})
JOINS = frozenset({"open"})
LEAVES = frozenset({"member", "closed-member"})
VALID = frozenset({"valid"})

NOT_READY = frozenset({200, 409})  # allowed; 409 while the dream has no analysis (no worker runs here)
DRAFT = frozenset({201, 409})  # allowed; 409 while the space has too few contributions to weave


def reset_request(cell: Cell) -> dict[str, Any]:
    return {"token": "made-up", "password": "a brand new passphrase"}


def email_only(cell: Cell) -> dict[str, Any]:
    return {"email": cell.email}


def reply_text(cell: Cell) -> dict[str, Any]:
    return {"text": "Thank you for your dream."}


def exclusion(cell: Cell) -> dict[str, Any]:
    return {"contribution_id": "made-up", "reason": "not in keeping with the guidelines"}


def lift_form(cell: Cell) -> dict[str, Any]:
    return {"space_id": "made-up"}


def move_form(cell: Cell) -> dict[str, Any]:
    return {"index": "0", "direction": "up"}


def flag(cell: Cell) -> dict[str, Any]:
    return {"target_type": "dream", "target_id": cell.ids["dream_id"], "category": "spam"}


def decision(cell: Cell) -> dict[str, Any]:
    return {"action": "clear", "reason": "looks fine to me"}


def appeal(cell: Cell) -> dict[str, Any]:
    return {"text": "Please look at this decision again."}


def appeal_decision(cell: Cell) -> dict[str, Any]:
    return {"overturn": False, "answer": "The decision stands."}


def appeal_form(cell: Cell) -> dict[str, Any]:
    return {"outcome": "uphold", "answer": "The decision stands."}


# Flagging a dream one cannot see is 404, like reading it; one's own cannot be flagged.
FLAGGING = {
    "own": signed_in(422, None),
    "private": signed_in(404),
    "public": signed_in(202),
    "shared-member": signed_in(202, None),
    "shared-outsider": signed_in(404),
}
FLAGGED = frozenset({"public", "shared-member"})  # a second flag by the same person is a conflict


MATRIX: dict[tuple[str, str], Rule] = {
    # site
    ("GET", "/"): Rule("none", {"-": every(200)}),
    ("GET", "/healthz"): Rule("none", {"-": every(200)}),
    ("GET", "/openapi.json"): Rule("none", {"-": every(200)}),
    ("GET", "/api/docs"): Rule("none", {"-": every(200)}),
    ("MOUNT", "/static"): Rule("none", {"-": every(200)}),
    # accounts: JSON
    ("POST", "/api/v1/auth/register"): Rule("none", {"-": every(201)}, new_account),
    ("POST", "/api/v1/auth/token"): Rule("none", {"-": every(201)}, credentials),
    ("DELETE", "/api/v1/auth/token"): Rule("none", {"-": signed_in(204)}, ends_auth=True),
    ("GET", "/api/v1/me"): Rule("none", {"-": signed_in(200)}),
    ("GET", "/api/v1/tokens"): Rule("none", {"-": signed_in(200)}),
    ("DELETE", "/api/v1/tokens/{token_id}"): Rule(
        "token", {"own": signed_in(204, None), "other": signed_in(404)}, consumes=OWN
    ),
    ("GET", "/api/v1/users"): Rule("none", {"-": stewards(200)}),
    ("POST", "/api/v1/users/grant"): Rule("none", {"-": stewards(200)}, grant),
    # accounts: pages
    ("GET", "/signup"): Rule("none", {"-": every(200)}),
    ("POST", "/signup"): Rule("none", {"-": every(303)}, new_account),
    ("GET", "/signin"): Rule("none", {"-": every(200)}),
    ("POST", "/signin"): Rule("none", {"-": every(303)}, credentials),
    ("POST", "/signout"): Rule("none", {"-": every(303)}, ends_auth=True),
    ("GET", "/account"): Rule("none", {"-": signed_in(200)}),
    ("POST", "/account/tokens"): Rule("none", {"-": signed_in(201)}, token_name),
    ("POST", "/account/tokens/{token_id}/revoke"): Rule(
        "token", {"own": signed_in(303, None), "other": signed_in(404)}, consumes=OWN
    ),
    ("GET", "/admin/users"): Rule("none", {"-": stewards(200)}),
    ("POST", "/admin/users/grant"): Rule("none", {"-": stewards(303)}, grant),
    # journal: JSON
    ("POST", "/api/v1/dreams"): Rule("none", {"-": signed_in(201)}, dream_text),
    ("GET", "/api/v1/dreams"): Rule("none", {"-": signed_in(200)}),
    ("GET", "/api/v1/dreams/{dream_id}"): Rule("dream", DREAM_READ),
    ("PATCH", "/api/v1/dreams/{dream_id}"): Rule("dream", own_only(200), dream_text),
    ("DELETE", "/api/v1/dreams/{dream_id}"): Rule("dream", own_only(204), consumes=OWN),
    ("GET", "/api/v1/consents"): Rule("none", {"-": signed_in(200)}),
    # journal: pages
    ("GET", "/journal"): Rule("none", {"-": signed_in(200, 303)}),
    ("GET", "/dreams/new"): Rule("none", {"-": signed_in(200, 303)}),
    ("POST", "/dreams/new"): Rule("none", {"-": signed_in(303)}, dream_text),
    ("GET", "/dreams/{dream_id}"): Rule("dream", DREAM_READ),
    ("GET", "/dreams/{dream_id}/edit"): Rule("dream", own_only(200, anonymous=303)),
    ("POST", "/dreams/{dream_id}/edit"): Rule("dream", own_only(303), dream_text),
    ("GET", "/dreams/{dream_id}/delete"): Rule("dream", own_only(200, anonymous=303)),
    ("POST", "/dreams/{dream_id}/delete"): Rule("dream", own_only(303), consumes=OWN),
    # spaces: JSON
    ("GET", "/api/v1/spaces"): Rule("none", {"-": every(200)}),
    ("POST", "/api/v1/spaces"): Rule("none", {"-": weavers(201)}, space_title),
    ("GET", "/api/v1/spaces/{space_id}"): Rule(
        "space", space_rule(200, 200, 200, 200, anonymous=404, anonymous_open=200)
    ),
    ("PATCH", "/api/v1/spaces/{space_id}"): Rule("space", space_rule(200, 403, 403, 403), space_title),
    ("POST", "/api/v1/spaces/{space_id}/join"): Rule("space", space_rule(200, 200, 200, 200), consumes=JOINS),
    ("POST", "/api/v1/spaces/{space_id}/leave"): Rule(
        "space", space_rule(409, 204, 404, 204), consumes=LEAVES
    ),
    ("POST", "/api/v1/spaces/{space_id}/invites"): Rule("space", space_rule(201, 403, 403, 403)),
    ("POST", "/api/v1/invites/accept"): Rule(
        "invite", {"valid": signed_in(200)}, invite_token, consumes=VALID
    ),
    ("GET", "/api/v1/spaces/{space_id}/contributions"): Rule("space", space_rule(200, 200, 403, 200)),
    ("POST", "/api/v1/spaces/{space_id}/contributions"): Rule(
        "space", space_rule(201, 201, 403, 201), my_dream
    ),
    ("DELETE", "/api/v1/contributions/{contribution_id}"): Rule(
        "contribution", {"own": signed_in(204, None), "other": signed_in(404)}, consumes=OWN
    ),
    # spaces: pages
    ("GET", "/spaces"): Rule("none", {"-": every(200)}),
    ("GET", "/spaces/new"): Rule("none", {"-": weavers(200, anonymous=303)}),
    ("POST", "/spaces/new"): Rule("none", {"-": weavers(303)}, space_title),
    ("GET", "/spaces/{space_id}"): Rule(
        "space", space_rule(200, 200, 200, 200, anonymous=404, anonymous_open=200)
    ),
    ("GET", "/spaces/{space_id}/edit"): Rule("space", space_rule(200, 403, 403, 403, anonymous=303)),
    ("POST", "/spaces/{space_id}/edit"): Rule("space", space_rule(303, 403, 403, 403), space_title),
    ("POST", "/spaces/{space_id}/join"): Rule("space", space_rule(303, 303, 303, 303), consumes=JOINS),
    ("POST", "/spaces/{space_id}/leave"): Rule("space", space_rule(409, 303, 404, 303), consumes=LEAVES),
    ("POST", "/spaces/{space_id}/invites"): Rule("space", space_rule(201, 403, 403, 403)),
    ("POST", "/spaces/contribute"): Rule("space", space_rule(303, 303, 403, 303), my_dream_in_space),
    ("POST", "/spaces/{space_id}/contribute"): Rule("space", space_rule(303, 303, 403, 303), my_dream),
    ("POST", "/contributions/{contribution_id}/withdraw"): Rule(
        "contribution", {"own": signed_in(303, None), "other": signed_in(404)}, consumes=OWN
    ),
    ("GET", "/invites/{token}"): Rule("invite", {"valid": every(200)}),
    # Later features. Their own tests go deeper; here: who may reach them at all, with made-up ids ("missing")
    # where this suite builds no such object. Destructive account routes are sent without their confirmation
    # (422), so that the shared accounts survive.
    # accounts: second factor, sessions, password reset, my data
    ("GET", "/account/2fa"): Rule("none", {"-": signed_in(200)}),
    # privileged: already on; a dreamer without a code: 422, or 409 before the set-up page was opened
    ("POST", "/account/2fa/enable"): Rule("none", {"-": (401, frozenset({409, 422}), 409, 409, 409)}),
    ("POST", "/account/2fa/disable"): Rule(
        "none", {"-": (401, 422, 403, 403, 403)}
    ),  # privileged must keep it
    ("GET", "/signin/2fa"): Rule("none", {"-": every(303)}),  # no ticket from the password step
    ("POST", "/signin/2fa"): Rule("none", {"-": every(303)}),
    ("GET", "/password/forgot"): Rule("none", {"-": every(200)}),
    ("POST", "/password/forgot"): Rule("none", {"-": every(200)}, email_only),
    ("GET", "/password/reset/{token}"): Rule("missing", {"-": every(404)}),
    ("POST", "/password/reset/{token}"): Rule("missing", {"-": every(404)}),
    ("POST", "/api/v1/auth/password/forgot"): Rule("none", {"-": every(202)}, email_only),
    ("POST", "/api/v1/auth/password/reset"): Rule("none", {"-": every(404)}, reset_request),
    ("GET", "/api/v1/sessions"): Rule("none", {"-": signed_in(200)}),
    ("DELETE", "/api/v1/sessions/{session_id}"): Rule("missing", {"-": signed_in(404)}),
    ("POST", "/account/sessions/{session_id}/revoke"): Rule("missing", {"-": signed_in(404)}),
    ("POST", "/account/sessions/revoke-others"): Rule("none", {"-": signed_in(303)}),
    ("GET", "/api/v1/me/data"): Rule("none", {"-": signed_in(200)}),
    ("GET", "/api/v1/me/export"): Rule("none", {"-": signed_in(200)}),
    ("POST", "/api/v1/me/delete"): Rule("none", {"-": signed_in(422)}),
    ("GET", "/account/data"): Rule("none", {"-": signed_in(200)}),
    ("GET", "/account/data/export.zip"): Rule("none", {"-": signed_in(200)}),
    ("POST", "/account/delete"): Rule("none", {"-": signed_in(422)}),
    ("GET", "/transparency"): Rule("none", {"-": every(200)}),
    # discovery and the dream exchange
    ("GET", "/api/v1/dreams/{dream_id}/resonant"): Rule(
        "dream",
        {
            "own": signed_in(NOT_READY, None),
            "private": signed_in(404),
            "public": signed_in(NOT_READY),
            "shared-member": signed_in(NOT_READY, None),
            "shared-outsider": signed_in(404),
        },
    ),
    ("GET", "/dreams/{dream_id}/resonant"): Rule(
        "dream",
        {
            "own": signed_in(NOT_READY, None),
            "private": signed_in(404),
            "public": signed_in(NOT_READY),
            "shared-member": signed_in(NOT_READY, None),
            "shared-outsider": signed_in(404),
        },
    ),
    ("GET", "/api/v1/search"): Rule("none", {"-": every(422)}),  # without its q
    ("GET", "/discover"): Rule("none", {"-": every(200)}),
    ("GET", "/api/v1/exchange"): Rule("none", {"-": signed_in(200)}),
    ("POST", "/api/v1/exchange/opt-in"): Rule("none", {"-": signed_in(422)}),
    ("POST", "/api/v1/exchange/opt-out"): Rule("none", {"-": signed_in(200)}),
    ("POST", "/api/v1/exchange/rounds"): Rule("none", {"-": stewards(201)}),
    ("GET", "/api/v1/exchange/{exchange_id}"): Rule("missing", {"-": signed_in(404)}),
    ("POST", "/api/v1/exchange/{exchange_id}/reply"): Rule("missing", {"-": signed_in(404)}, reply_text),
    ("POST", "/api/v1/exchange/{exchange_id}/block"): Rule("missing", {"-": signed_in(404)}),
    ("GET", "/exchange"): Rule("none", {"-": signed_in(200)}),
    ("POST", "/exchange/opt-in"): Rule("none", {"-": signed_in(404)}),
    ("POST", "/exchange/opt-out"): Rule("none", {"-": signed_in(303)}),
    ("GET", "/exchange/{exchange_id}"): Rule("missing", {"-": signed_in(404)}),
    ("POST", "/exchange/{exchange_id}/reply"): Rule("missing", {"-": signed_in(404)}, reply_text),
    ("POST", "/exchange/{exchange_id}/block"): Rule("missing", {"-": signed_in(404)}),
    # weaving in spaces: members read weaves, the space's weavers draft and moderate
    ("GET", "/api/v1/spaces/{space_id}/weaves"): Rule("space", space_rule(200, 200, 403, 200)),
    ("POST", "/api/v1/spaces/{space_id}/weaves"): Rule("space", space_rule(DRAFT, 403, 403, 403), nothing),
    ("GET", "/spaces/{space_id}/weaves"): Rule("space", space_rule(200, 200, 403, 200)),
    ("POST", "/spaces/{space_id}/weaves"): Rule("space", space_rule(DRAFT, 403, 403, 403)),
    ("GET", "/spaces/{space_id}/moderate"): Rule("space", space_rule(200, 403, 403, 403)),
    ("POST", "/api/v1/spaces/{space_id}/exclusions"): Rule(
        "space", space_rule(404, 403, 403, 403), exclusion
    ),
    ("POST", "/spaces/{space_id}/exclusions"): Rule("space", space_rule(404, 403, 403, 403), exclusion),
    ("GET", "/api/v1/weaves/{weave_id}"): Rule("missing", {"-": signed_in(404)}),
    ("PATCH", "/api/v1/weaves/{weave_id}"): Rule("missing", {"-": signed_in(404)}),
    ("DELETE", "/api/v1/weaves/{weave_id}"): Rule("missing", {"-": signed_in(404)}),
    ("POST", "/api/v1/weaves/{weave_id}/publish"): Rule("missing", {"-": signed_in(404)}),
    ("GET", "/weaves/{weave_id}"): Rule("missing", {"-": signed_in(404)}),
    ("POST", "/weaves/{weave_id}/move"): Rule("missing", {"-": signed_in(404)}, move_form),
    ("POST", "/weaves/{weave_id}/drop"): Rule("missing", {"-": signed_in(404)}, move_form),
    ("POST", "/weaves/{weave_id}/publish"): Rule("missing", {"-": signed_in(404)}),
    ("POST", "/weaves/{weave_id}/discard"): Rule("missing", {"-": signed_in(404)}),
    # moderation: anyone flags what they can see; stewards decide appeals
    ("POST", "/api/v1/flags"): Rule("dream", FLAGGING, flag, consumes=FLAGGED),
    ("POST", "/flags"): Rule(
        "dream",
        {**FLAGGING, "public": signed_in(303), "shared-member": signed_in(303, None)},
        flag,
        consumes=FLAGGED,
    ),
    ("GET", "/api/v1/moderation/cases"): Rule("none", {"-": signed_in(200)}),
    ("GET", "/moderation"): Rule("none", {"-": signed_in(200)}),
    ("GET", "/api/v1/notices"): Rule("none", {"-": signed_in(200)}),
    ("GET", "/notices"): Rule("none", {"-": signed_in(200)}),
    ("GET", "/api/v1/appeals"): Rule("none", {"-": stewards(200)}),
    ("GET", "/moderation/appeals"): Rule("none", {"-": stewards(200)}),
    ("POST", "/api/v1/moderation/cases/{case_id}/decision"): Rule("missing", {"-": signed_in(404)}, decision),
    ("POST", "/moderation/cases/{case_id}/decision"): Rule("missing", {"-": signed_in(404)}, decision),
    ("POST", "/api/v1/sanctions/{sanction_id}/appeal"): Rule("missing", {"-": signed_in(404)}, appeal),
    ("POST", "/notices/sanctions/{sanction_id}/appeal"): Rule("missing", {"-": signed_in(404)}, appeal),
    ("POST", "/api/v1/appeals/{appeal_id}/decision"): Rule("missing", {"-": stewards(404)}, appeal_decision),
    ("POST", "/moderation/appeals/{appeal_id}/decision"): Rule("missing", {"-": stewards(404)}, appeal_form),
    # integrity: public verification of the audit log and of signed weaves (sent without their parameters)
    ("GET", "/api/v1/instance/public-key"): Rule("none", {"-": every(200)}),
    # festival: made-up festival ids (its own tests go deeper); the live path rejects what it cannot find
    ("GET", "/festival-static/{name}"): Rule("missing", {"-": every(404)}),
    ("GET", "/festivals/{fid}"): Rule("missing", {"-": every(404)}),
    ("GET", "/festivals/{fid}/console"): Rule("missing", {"-": signed_in(404)}),
    ("GET", "/festivals/{fid}/events"): Rule("missing", {"-": every(404)}),
    ("MOUNT", "/festivals/{fid}/ws"): Rule("none", {"-": every(200)}),
    ("GET", "/api/v1/festivals/{fid}/figures"): Rule("missing", {"-": signed_in(404)}),
    ("PATCH", "/api/v1/festivals/{fid}"): Rule("missing", {"-": signed_in(404)}, nothing),
    ("POST", "/api/v1/festivals/{fid}/fragments"): Rule("missing", {"-": every(404)}, dream_text),
    # seq and action are checked before the festival is looked up: a made-up path is invalid input
    ("POST", "/api/v1/festivals/{fid}/fragments/{seq}/{action}"): Rule("missing", {"-": signed_in(422)}),
    ("POST", "/api/v1/festivals/{fid}/guest-pass"): Rule("missing", {"-": every(404)}),
    ("POST", "/api/v1/festivals/{fid}/publish"): Rule("missing", {"-": signed_in(404)}),
    # without an account or a guest pass nobody takes part: refused before any lookup
    ("POST", "/api/v1/festivals/{fid}/reactions"): Rule("missing", {"-": (403, 404, 404, 404, 404)}, nothing),
    ("POST", "/api/v1/spaces/{space_id}/festivals"): Rule("missing", {"-": signed_in(404)}, space_title),
    ("POST", "/festivals/{fid}/console/moderate"): Rule("missing", {"-": signed_in(422)}),
    ("POST", "/festivals/{fid}/console/publish"): Rule("missing", {"-": signed_in(404)}),
    ("POST", "/festivals/{fid}/console/settings"): Rule("missing", {"-": signed_in(404)}),
    ("POST", "/festivals/{fid}/fragments"): Rule("missing", {"-": every(404)}),
    ("POST", "/festivals/{fid}/guest"): Rule("missing", {"-": every(404)}),
    ("POST", "/festivals/{fid}/react"): Rule("missing", {"-": every(404)}),
    ("POST", "/spaces/{space_id}/festivals"): Rule("missing", {"-": signed_in(404)}),
    ("GET", "/api/v1/integrity/checkpoint"): Rule("none", {"-": every(200)}),
    ("GET", "/api/v1/integrity/proofs/inclusion"): Rule("none", {"-": every(422)}),
    ("GET", "/api/v1/integrity/proofs/consistency"): Rule("none", {"-": every(422)}),
    ("POST", "/api/v1/weaves/verify"): Rule("none", {"-": every(422)}),
    ("GET", "/api/v1/weaves/{weave_id}/signed"): Rule("missing", {"-": signed_in(404)}),
    ("GET", "/api/v1/exclusions"): Rule("none", {"-": signed_in(200)}),
    ("DELETE", "/api/v1/exclusions/{exclusion_id}"): Rule("missing", {"-": signed_in(404)}),
    ("POST", "/exclusions/{exclusion_id}/lift"): Rule("missing", {"-": signed_in(404)}, lift_form),
    ("POST", "/invites/{token}"): Rule("invite", {"valid": signed_in(303)}, consumes=VALID),
}


# --- building the objects of one cell --------------------------------------------------------------------


@dataclass
class World:
    client: TestClient
    database: Database
    users: dict[
        str, int
    ]  # the roles, "owner" (another dreamer) and "host" (the weaver whose spaces they are)
    emails: dict[str, str]
    totp_secrets: dict[str, str]
    counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    objects: dict[tuple[str, str, str], dict[str, str]] = field(default_factory=dict)
    credentials: dict[str, tuple[str, str]] = field(default_factory=dict)


def _user(session: Session, world: World, key: str) -> User:
    user = session.get(User, world.users[key])
    assert user is not None
    return user


def _dream(session: Session, owner: User, visibility: str) -> str:
    text = f"A {visibility} dream about a lantern in the fog."
    return journal.create_dream(session, owner, DreamCreate(text=text, visibility=visibility)).public_id


def _space(session: Session, creator: User, *, is_open: bool) -> str:
    return spaces.create_space(session, creator, SpaceCreate(title="Circle", is_open=is_open)).public_id


def _admit(session: Session, host: User, user: User, space_id: str, *, is_open: bool) -> None:
    if is_open:
        spaces.join_space(session, user, space_id)
    else:
        spaces.accept_invite(session, user, spaces.create_invite(session, host, space_id))


def _shared(session: Session, owner: User, host: User, space_id: str, *, is_open: bool) -> str:
    """Another person's dream, contributed to the space."""
    _admit(session, host, owner, space_id, is_open=is_open)
    dream_id = _dream(session, owner, "spaces")
    spaces.contribute(session, owner, space_id, ContributionCreate(dream_id=dream_id))
    return dream_id


def build(session: Session, world: World, kind: str, relation: str, role: str) -> dict[str, str]:
    viewer = None if role == "anonymous" else _user(session, world, role)
    owner, host = _user(session, world, "owner"), _user(session, world, "host")
    if kind == "dream":
        if relation == "own":
            assert viewer is not None
            return {"dream_id": _dream(session, viewer, "private")}
        if relation in {"private", "public"}:
            return {"dream_id": _dream(session, owner, relation)}
        space_id = _space(session, host, is_open=True)
        if relation == "shared-member":
            assert viewer is not None
            spaces.join_space(session, viewer, space_id)
        return {"dream_id": _shared(session, owner, host, space_id, is_open=True)}
    if kind == "space":
        is_open = relation in {"own", "member", "open"}
        creator = viewer if relation == "own" else host
        assert creator is not None
        space_id = _space(session, creator, is_open=is_open)
        _shared(session, owner, creator, space_id, is_open=is_open)
        if relation in {"member", "closed-member"}:
            assert viewer is not None
            _admit(session, creator, viewer, space_id, is_open=is_open)
        mine = _dream(session, viewer, "spaces") if viewer is not None else _dream(session, owner, "spaces")
        return {"space_id": space_id, "my_dream_id": mine}
    if kind == "token":
        holder = viewer if relation == "own" else owner
        assert holder is not None
        token, _ = accounts.create_api_token(session, holder, "matrix target")
        return {"token_id": token.public_id}
    if kind == "contribution":
        space_id = _space(session, host, is_open=True)
        contributor = viewer if relation == "own" else owner
        assert contributor is not None
        spaces.join_space(session, contributor, space_id)
        if viewer is not None and contributor is not viewer:
            spaces.join_space(session, viewer, space_id)  # a fellow member: sees it, cannot withdraw it
        dream_id = _dream(session, contributor, "spaces")
        contribution = spaces.contribute(
            session, contributor, space_id, ContributionCreate(dream_id=dream_id)
        )
        return {"contribution_id": contribution.public_id}
    if kind == "invite":
        space_id = _space(session, host, is_open=False)
        return {"token": spaces.create_invite(session, host, space_id), "space_id": space_id}
    if kind == "missing":
        return {}
    assert kind == "none", kind
    return {}


# --- running one cell ----------------------------------------------------------------------------------------


def _path(template: str, ids: dict[str, str]) -> str:
    path = template
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        name = path[start + 1 : end]
        path = path[:start] + ids.get(name, secrets.token_urlsafe(12)) + path[end + 1 :]
    return path


def _objects(world: World, rule: Rule, role: str, relation: str) -> dict[str, str]:
    """The cell's objects: cached for requests that leave them as they were, made afresh otherwise."""
    key = (rule.kind, relation, role)
    if relation in rule.consumes or key not in world.objects:
        with world.database.session() as session:
            ids = build(session, world, rule.kind, relation, role)
        if relation in rule.consumes:
            return ids
        world.objects[key] = ids
    ids = dict(world.objects[key])
    if rule.body in {my_dream, my_dream_in_space}:
        # A dream can be contributed once per space: each contribution request gets a dream of its own.
        with world.database.session() as session:
            viewer = _user(session, world, "owner" if role == "anonymous" else role)
            ids["my_dream_id"] = _dream(session, viewer, "spaces")
    return ids


def _credentials(world: World, role: str, *, fresh: bool) -> tuple[str, str] | None:
    """An API token and a browser session id for the role."""
    if role == "anonymous":
        return None
    if fresh or role not in world.credentials:
        with world.database.session() as session:
            viewer = _user(session, world, role)
            made = (
                accounts.create_api_token(session, viewer, "matrix")[1],
                accounts.start_web_session(session, viewer, days=1),
            )
        if fresh:
            return made
        world.credentials[role] = made
    return world.credentials[role]


def run_cell(world: World, method: str, template: str, rule: Rule, role: str, relation: str) -> int:
    ids = _objects(world, rule, role, relation)
    auth = _credentials(world, role, fresh=rule.ends_auth)
    body = rule.body(Cell(world, role, relation, ids)) if rule.body else {}
    path = "/static/style.css" if method == "MOUNT" else _path(template, ids)
    headers: dict[str, str] = {}
    kwargs: dict[str, Any] = {}
    world.client.cookies.clear()
    if template.startswith("/api/"):
        if auth:
            headers["Authorization"] = f"Bearer {auth[0]}"
        if method in {"POST", "PATCH", "PUT"}:
            kwargs["json"] = body
    else:
        # A browser: the session cookie, and a valid CSRF token, so that only authorization is tested.
        headers["Cookie"] = f"dn_csrf={CSRF_SEED}" + (f"; dn_session={auth[1]}" if auth else "")
        headers["Accept"] = "text/html"
        if method == "POST":
            kwargs["data"] = {**body, "csrf_token": sign(SECRET, "csrf:" + CSRF_SEED)}
    response = world.client.request(
        "GET" if method == "MOUNT" else method, path, headers=headers, follow_redirects=False, **kwargs
    )
    return response.status_code


# --- the tests ------------------------------------------------------------------------------------------------


def app_routes(app: Any) -> set[tuple[str, str]]:
    try:
        from fastapi.routing import iter_route_contexts

        routes: list[Any] = list(iter_route_contexts(app.routes))
    except ImportError:  # FastAPI versions whose app.routes is already flat
        routes = list(app.routes)
    found: set[tuple[str, str]] = set()
    for route in routes:
        methods = getattr(route, "methods", None)
        if not methods:
            found.add(("MOUNT", route.path))
        found.update((method, route.path) for method in methods or () if method != "HEAD")
    return found


def test_every_route_is_in_the_matrix(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'unused.db'}", secret_key=SECRET
    )
    routes = app_routes(create_app(settings))
    unclassified = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not unclassified, f"add these routes to MATRIX in {__file__}: {unclassified}"
    assert not stale, f"these MATRIX rows name routes the app no longer has: {stale}"


def test_the_matrix_covers_every_role_and_relation() -> None:
    relations = {
        "none": {"-"},
        "dream": {"own", "private", "public", "shared-member", "shared-outsider"},
        "space": {"own", "member", "open", "closed", "closed-member"},
        "token": {"own", "other"},
        "contribution": {"own", "other"},
        "invite": {"valid"},
        "missing": {"-"},
    }
    for route, rule in MATRIX.items():
        assert set(rule.expect) == relations[rule.kind], route
        assert all(len(row) == len(ROLES) for row in rule.expect.values()), route


class NoLimits:
    """The matrix sends far more writes per minute than a person could; rate limits are tested elsewhere."""

    def hit(self, key: str, limit: int, window_s: float) -> float | None:
        return None

    def peek(self, key: str, limit: int, window_s: float) -> float | None:
        return None

    def reset(self, key: str) -> None:
        return None


def _make_world(database: Database, data_dir: Path, password_hash: str) -> Iterator[World]:
    """One set of accounts per database for the whole table; privileged roles have 2FA on, as they must."""
    settings = Settings(data_dir=data_dir, database_url=database.url, secret_key=SECRET)
    app = create_app(settings, database=database, limiter=NoLimits())
    users, emails, secrets_ = {}, {}, {}
    keys = {
        "dreamer": "dreamer",
        "weaver": "weaver",
        "researcher": "researcher",
        "steward": "steward",
        "owner": "dreamer",
        "host": "weaver",
    }
    with pytest.MonkeyPatch.context() as patch, database.session() as session:
        patch.setattr(accounts, "hash_password", lambda _password: password_hash)
        for key, role in keys.items():
            user = accounts.register(session, email=f"{key}@example.org", password=PASSWORD, role=role)
            # Established accounts: a brand-new one may share only a few contributions a day (moderation),
            # and the matrix contributes far more than that.
            user.created_at = utcnow() - timedelta(days=60)
            if user.must_use_totp:
                user.totp_secret, user.totp_enabled_at = totp.new_secret(), utcnow()
                secrets_[key] = user.totp_secret
            session.flush()
            users[key], emails[key] = user.id, user.email
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        yield World(client, database, users, emails, secrets_)


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, module_database: Database, password_hash: str
) -> Iterator[World]:
    """For rows about objects, on both databases: whether one may see an object is decided in SQL."""
    yield from _make_world(module_database, tmp_path_factory.mktemp("matrix"), password_hash)


@pytest.fixture(scope="module")
def sqlite_world(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, password_hash: str
) -> Iterator[World]:
    """For rows whose answer does not depend on the database (no object, or made-up ids): SQLite only."""
    path = tmp_path_factory.mktemp("matrix-sqlite") / "dreamnexus.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    try:
        yield from _make_world(database, path.parent, password_hash)
    finally:
        database.dispose()


def _params(object_rows: bool) -> list[Any]:
    params = []
    for (method, path), rule in MATRIX.items():
        if (rule.kind in {"none", "missing"}) == object_rows:
            continue
        marks = [pytest.mark.xfail(strict=True, reason=rule.bug)] if rule.bug else []
        params.append(pytest.param(method, path, id=f"{method} {path}", marks=marks))
    return params


def check_route(world: World, method: str, path: str) -> None:
    rule = MATRIX[(method, path)]
    wrong = []
    for relation, row in rule.expect.items():
        for role, expected in zip(ROLES, row, strict=True):
            if expected is None:
                continue
            got = run_cell(world, method, path, rule, role, relation)
            if got != expected and not (isinstance(expected, frozenset) and got in expected):
                wrong.append(f"{role} / {relation}: expected {expected}, got {got}")
    assert not wrong, f"{method} {path}:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize(("method", "path"), _params(object_rows=True))
def test_route_authorization_on_objects(world: World, method: str, path: str) -> None:
    check_route(world, method, path)


@pytest.mark.parametrize(("method", "path"), _params(object_rows=False))
def test_route_authorization(sqlite_world: World, method: str, path: str) -> None:
    check_route(sqlite_world, method, path)
