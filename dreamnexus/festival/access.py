"""Who is connecting: a signed-in member (session cookie or API token) or a guest pass holder."""

from __future__ import annotations

from collections.abc import Mapping

from dreamnexus.accounts import service as accounts
from dreamnexus.db.engine import Database
from dreamnexus.festival import service
from dreamnexus.festival.ingest import Participant
from dreamnexus.festival.models import Festival
from dreamnexus.web.security import SESSION_COOKIE

GUEST_COOKIE = "dn_guest"


def resolve(
    database: Database, public_id: str, cookies: Mapping[str, str], authorization: str, ip: str
) -> tuple[Festival, Participant | None]:
    """The festival and the participant (None: may watch but not contribute). Raises NotFound."""
    with database.session() as session:
        user = None
        if authorization[:7].lower() == "bearer ":
            user = accounts.user_for_api_token(session, authorization[7:].strip())
        elif raw := cookies.get(SESSION_COOKIE):
            user = accounts.user_for_web_session(session, raw)
        festival, space = service.get_festival(session, user, public_id)
        if user is not None:
            role = service.role_of(session, festival, space, user)
            if role is not None:
                return festival, Participant(
                    f"u:{user.public_id}",
                    user.id,
                    service.TRUST[role],
                    ip,
                    group=f"u:{user.public_id}",
                    name=user.display_name,
                )
        guest = service.guest_for_token(session, festival, cookies.get(GUEST_COOKIE))
        if guest is not None and festival.guests_allowed:
            # Guests share one fair-queue group per address, so a crowd of sybil passes from one
            # machine gets one turn per round, not one turn each.
            return festival, Participant(
                f"g:{guest.public_id}", None, service.TRUST["guest"], ip, group=f"ip:{ip}"[:40], name="guest"
            )
        return festival, None
