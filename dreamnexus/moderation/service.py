"""Moderation use cases. Every decision records a change (so it enters the audit log), tells the person
affected, and can be appealed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import Role, User
from dreamnexus.db.base import utcnow
from dreamnexus.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited
from dreamnexus.events import Change, record_change
from dreamnexus.journal import access
from dreamnexus.journal.models import Dream, Visibility
from dreamnexus.mail import queue_mail
from dreamnexus.moderation.models import Appeal, Flag, ModerationCase, Notice, Sanction
from dreamnexus.moderation.trust import CONTRIBUTIONS_PER_DAY, standing
from dreamnexus.spaces.models import Contribution, Membership

FLAG_CATEGORIES = ("spam", "harassment", "hijack", "off_topic", "private_info", "other")
# Summed flagger trust at which content is hidden until someone decides: three newcomers are not
# enough, two regulars are.
FLAG_THRESHOLD = 1.5
SANCTION_KINDS = ("hide", "limit", "suspend")


def notify(session: Session, user_id: int, text: str, link: str = "") -> None:
    session.add(Notice(user_id=user_id, text=text[:1000], link=link[:200]))
    user = session.get(User, user_id)
    if user is not None:
        queue_mail(
            session,
            recipient=user.email,
            subject="A decision about your Dream Nexus account",
            body=f"{text}\n\nYou can read it, and appeal, on your notices page: /notices",
            kind="moderation",
        )


def _target_text(session: Session, target_type: str, target_id: int) -> tuple[str, int, int | None]:
    """(text, author id, space id) of a moderated item."""
    if target_type == "contribution":
        contribution = session.get(Contribution, target_id)
        if contribution is None:
            raise NotFound("No such contribution.")
        dream = session.get(Dream, contribution.dream_id)
        assert dream is not None
        return contribution.excerpt or dream.text, contribution.contributor_id, contribution.space_id
    dream = session.get(Dream, target_id)
    if dream is None:
        raise NotFound("No such dream.")
    return dream.text, dream.owner_id, None


def _case(session: Session, target_type: str, target_id: int) -> ModerationCase | None:
    return session.scalar(
        select(ModerationCase).where(
            ModerationCase.target_type == target_type, ModerationCase.target_id == target_id
        )
    )


def screen(session: Session, target_type: str, target_id: int) -> ModerationCase | None:
    """Hold shared content that the screening rules catch (spam, links, injection, abuse) for review."""
    from dreamnexus.weaving.content import check_text

    text, author_id, space_id = _target_text(session, target_type, target_id)
    finding = check_text(text, min_words=1)
    reason = (
        finding.reason
        if finding is not None and finding.reason not in {"empty", "too_short", "filler"}
        else None
    )
    if (
        reason is None
        and target_type == "contribution"
        and _repeats_in_space(session, target_id, text, space_id)
    ):
        reason = "duplicate"
    if reason is None:
        return None
    case = _case(session, target_type, target_id)
    if case is not None and case.state == "cleared":
        return None  # a person already looked and let it through
    if case is None:
        case = ModerationCase(
            target_type=target_type,
            target_id=target_id,
            space_id=space_id,
            author_id=author_id,
            origin="screening",
            reason=f"screening: {reason}",
        )
        session.add(case)
    case.state, case.hidden = "open", True
    session.flush()
    record_change(
        session, Change("moderation.hold", target_type, str(target_id), None, {"reason": case.reason})
    )
    notify(
        session,
        author_id,
        f"Something you shared is held for review ({reason}); a moderator will look at it.",
    )
    return case


def _limit_contributions(session: Session, user_id: int) -> None:
    user = session.get(User, user_id)
    if user is None:
        return
    allowed = CONTRIBUTIONS_PER_DAY[standing(session, user).level]
    since = utcnow() - timedelta(days=1)
    count = (
        session.scalar(
            select(func.count())
            .select_from(Contribution)
            .where(Contribution.contributor_id == user_id, Contribution.created_at > since)
        )
        or 0
    )
    if count > allowed:
        raise RateLimited(
            f"New accounts share at most {allowed} contributions a day; your room grows with your history.",
            retry_after=3600,
        )


def _normalised(text: str) -> str:
    return " ".join("".join(c for c in text.casefold() if c.isalnum() or c.isspace()).split())


def _repeats_in_space(session: Session, contribution_id: int, text: str, space_id: int | None) -> bool:
    """The same words already shared in this space by another contribution (a repost or a copy flood)."""
    if space_id is None or len(text.split()) < 6:
        return False
    target = _normalised(text)
    others = session.execute(
        select(Contribution, Dream)
        .join(Dream, Dream.id == Contribution.dream_id)
        .where(
            Contribution.space_id == space_id,
            Contribution.id != contribution_id,
            Contribution.withdrawn_at.is_(None),
        )
        .order_by(Contribution.id.desc())
        .limit(500)
    ).all()
    return any(_normalised(c.excerpt or d.text) == target for c, d in others)


def screen_on_change(session: Session, change: Change) -> None:
    """In-transaction listener: cap and screen contributions, screen dreams that become public."""
    if change.action == "space.contribute":
        contribution = session.scalar(select(Contribution).where(Contribution.public_id == change.object_id))
        if contribution is not None:
            _limit_contributions(session, contribution.contributor_id)
            screen(session, "contribution", contribution.id)
    elif (
        change.action in {"dream.create", "dream.update"}
        and change.state.get("visibility") == Visibility.public.value
    ):
        dream = session.scalar(select(Dream).where(Dream.public_id == change.object_id))
        if dream is not None:
            screen(session, "dream", dream.id)


def flag(
    session: Session, flagger: User, target_type: str, target_public_id: str, category: str, note: str = ""
) -> ModerationCase:
    if category not in FLAG_CATEGORIES:
        raise InvalidInput(f"category must be one of {', '.join(FLAG_CATEGORIES)}")
    if target_type == "contribution":
        contribution = session.scalar(select(Contribution).where(Contribution.public_id == target_public_id))
        if (
            contribution is None
            or session.scalar(
                select(Membership.id).where(
                    Membership.space_id == contribution.space_id, Membership.user_id == flagger.id
                )
            )
            is None
        ):
            raise NotFound("No such contribution.")
        target_id, author_id, space_id = contribution.id, contribution.contributor_id, contribution.space_id
    elif target_type == "dream":
        dream = access.visible_dream(session, flagger, target_public_id)
        target_id, author_id, space_id = dream.id, dream.owner_id, None
    else:
        raise InvalidInput("target_type must be 'contribution' or 'dream'")
    if author_id == flagger.id:
        raise InvalidInput("You cannot flag what you shared yourself; withdraw or edit it instead.")
    case = _case(session, target_type, target_id)
    if case is None:
        case = ModerationCase(
            target_type=target_type,
            target_id=target_id,
            space_id=space_id,
            author_id=author_id,
            origin="flags",
            reason=f"flagged: {category}",
        )
        session.add(case)
        session.flush()
    if session.scalar(select(Flag.id).where(Flag.case_id == case.id, Flag.flagger_id == flagger.id)):
        raise Conflict("You have already flagged this.")
    weight = max(0.2, standing(session, flagger).score)
    session.add(
        Flag(
            case_id=case.id, flagger_id=flagger.id, category=category, note=(note or "")[:500], weight=weight
        )
    )
    case.flag_weight += weight
    if case.state == "cleared":
        case.state = "open"  # new flags after a decision reopen the case, without hiding again by themselves
    elif case.flag_weight >= FLAG_THRESHOLD and not case.hidden:
        case.hidden = True
        notify(
            session,
            author_id,
            "Something you shared was flagged by several people and is hidden until a moderator looks at it.",
        )
    record_change(
        session, Change("moderation.flag", target_type, target_public_id, flagger.id, {"category": category})
    )
    return case


def _may_decide(session: Session, actor: User, case: ModerationCase) -> bool:
    if actor.has_role(Role.steward):
        return True
    if case.space_id is None:
        return False
    return (
        session.scalar(
            select(Membership.id).where(
                Membership.space_id == case.space_id,
                Membership.user_id == actor.id,
                Membership.role == "weaver",
            )
        )
        is not None
    )


def queue(session: Session, actor: User) -> list[ModerationCase]:
    """Open cases this person may decide: all for stewards, their spaces' for weavers."""
    statement = (
        select(ModerationCase)
        .where(ModerationCase.state == "open")
        .order_by(ModerationCase.hidden.desc(), ModerationCase.flag_weight.desc(), ModerationCase.created_at)
    )
    if not actor.has_role(Role.steward):
        mine = select(Membership.space_id).where(Membership.user_id == actor.id, Membership.role == "weaver")
        statement = statement.where(ModerationCase.space_id.in_(mine))
    return list(session.scalars(statement))


def case_text(session: Session, case: ModerationCase) -> str:
    try:
        return _target_text(session, case.target_type, case.target_id)[0]
    except NotFound:
        return ""


def decide(
    session: Session,
    actor: User,
    case_public_id: str,
    *,
    action: str,
    reason: str,
    sanction: str | None = None,
    days: int | None = None,
) -> ModerationCase:
    case = session.scalar(select(ModerationCase).where(ModerationCase.public_id == case_public_id))
    if case is None or not _may_decide(session, actor, case):
        raise NotFound("No such case.")
    reason = " ".join((reason or "").split())
    if not 3 <= len(reason) <= 500:
        raise InvalidInput("Give the person a reason (3 to 500 characters).")
    if action not in {"clear", "hide"}:
        raise InvalidInput("action must be 'clear' or 'hide'")
    if sanction is not None and sanction not in {"limit", "suspend"}:
        raise InvalidInput("sanction must be 'limit' or 'suspend'")
    if sanction is not None and not actor.has_role(Role.steward):
        raise PermissionDenied("Only stewards limit or suspend accounts.")
    if days is not None and not 1 <= days <= 365:
        raise InvalidInput("days must be between 1 and 365")
    case.state = "cleared" if action == "clear" else "hidden"
    case.hidden = action == "hide"
    case.decided_at, case.decided_by = utcnow(), actor.id
    record_change(
        session,
        Change(f"moderation.{action}", case.target_type, str(case.target_id), actor.id, {"reason": reason}),
    )
    if action == "hide":
        hide = Sanction(
            user_id=case.author_id, kind="hide", case_id=case.id, reason=reason, decided_by=actor.id
        )
        session.add(hide)
        session.flush()
        notify(
            session,
            case.author_id,
            f"Something you shared was hidden by a moderator: {reason}",
            f"/notices#{hide.public_id}",
        )
        record_change(
            session, Change("moderation.sanction", "user", str(case.author_id), actor.id, {"kind": "hide"})
        )
    else:
        notify(session, case.author_id, f"What you shared was reviewed and is visible again: {reason}")
    if sanction is not None:
        imposed = Sanction(
            user_id=case.author_id,
            kind=sanction,
            case_id=case.id,
            reason=reason,
            decided_by=actor.id,
            ends_at=utcnow() + timedelta(days=days) if days else None,
        )
        session.add(imposed)
        session.flush()
        until = f" for {days} day(s)" if days else ""
        notify(
            session,
            case.author_id,
            f"Your account is {sanction}ed{until}: {reason}",
            f"/notices#{imposed.public_id}",
        )
        record_change(
            session, Change("moderation.sanction", "user", str(case.author_id), actor.id, {"kind": sanction})
        )
    return case


def appeal(session: Session, user: User, sanction_public_id: str, text: str) -> Appeal:
    sanction = session.scalar(select(Sanction).where(Sanction.public_id == sanction_public_id))
    if sanction is None or sanction.user_id != user.id:
        raise NotFound("No such decision.")
    text = (text or "").strip()
    if not 10 <= len(text) <= 2000:
        raise InvalidInput("Explain your appeal in 10 to 2,000 characters.")
    if session.scalar(select(Appeal.id).where(Appeal.sanction_id == sanction.id)):
        raise Conflict("You have already appealed this decision.")
    entry = Appeal(sanction_id=sanction.id, text=text)
    session.add(entry)
    session.flush()
    record_change(session, Change("moderation.appeal", "sanction", sanction.public_id, user.id))
    return entry


def open_appeals(session: Session, actor: User) -> list[tuple[Appeal, Sanction]]:
    if not actor.has_role(Role.steward):
        raise PermissionDenied("Stewards decide appeals.")
    return list(
        session.execute(
            select(Appeal, Sanction)
            .join(Sanction, Sanction.id == Appeal.sanction_id)
            .where(Appeal.state == "open")
            .order_by(Appeal.created_at)
        ).all()
    )


def decide_appeal(
    session: Session, actor: User, appeal_public_id: str, *, overturn: bool, answer: str
) -> Appeal:
    if not actor.has_role(Role.steward):
        raise PermissionDenied("Stewards decide appeals.")
    entry = session.scalar(select(Appeal).where(Appeal.public_id == appeal_public_id))
    if entry is None or entry.state != "open":
        raise NotFound("No such open appeal.")
    sanction = session.get(Sanction, entry.sanction_id)
    assert sanction is not None
    if sanction.decided_by == actor.id:
        raise PermissionDenied("Another steward must decide an appeal against your own decision.")
    answer = " ".join((answer or "").split())
    if not 3 <= len(answer) <= 1000:
        raise InvalidInput("Give an answer (3 to 1,000 characters).")
    entry.state, entry.answer, entry.decided_at, entry.decided_by = (
        "overturned" if overturn else "upheld",
        answer,
        utcnow(),
        actor.id,
    )
    if overturn:
        sanction.lifted_at = utcnow()
        if sanction.case_id is not None and sanction.kind == "hide":
            case = session.get(ModerationCase, sanction.case_id)
            if case is not None:
                case.hidden, case.state = False, "cleared"
    notify(
        session, sanction.user_id, f"Your appeal was {'accepted' if overturn else 'not accepted'}: {answer}"
    )
    record_change(
        session,
        Change(
            "moderation.appeal_decision", "sanction", sanction.public_id, actor.id, {"overturned": overturn}
        ),
    )
    return entry


def my_notices(session: Session, user: User) -> list[Notice]:
    return list(
        session.scalars(select(Notice).where(Notice.user_id == user.id).order_by(Notice.created_at.desc()))
    )


def my_sanctions(session: Session, user: User) -> list[tuple[Sanction, Appeal | None]]:
    rows = session.scalars(
        select(Sanction).where(Sanction.user_id == user.id).order_by(Sanction.created_at.desc())
    )
    return [(s, session.scalar(select(Appeal).where(Appeal.sanction_id == s.id))) for s in rows]


def hidden_contribution_condition():  # type: ignore[no-untyped-def]
    """SQL: the contribution is hidden by moderation."""
    return exists().where(
        ModerationCase.target_type == "contribution",
        ModerationCase.target_id == Contribution.id,
        ModerationCase.hidden.is_(True),
    )


def hidden_dream_condition():  # type: ignore[no-untyped-def]
    return exists().where(
        ModerationCase.target_type == "dream",
        ModerationCase.target_id == Dream.id,
        ModerationCase.hidden.is_(True),
    )
