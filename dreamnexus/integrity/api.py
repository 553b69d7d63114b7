"""Public integrity routes: the latest signed checkpoint, the key, and inclusion/consistency proofs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from dreamnexus.integrity import checkpoints
from dreamnexus.web.deps import get_db

router = APIRouter(prefix="/api/v1/integrity", tags=["integrity"])
MAX_SEQ = 2**53  # far beyond any log, and within what every database stores as an integer


@router.get("/checkpoint", summary="The latest signed Merkle checkpoint of the audit log, and the public key")
def latest(request: Request, db: Session = Depends(get_db, scope="function")) -> dict[str, Any]:
    return checkpoints.published(db, request.app.state.settings)


@router.get(
    "/proofs/inclusion", summary="Proof that audit entry SEQ is in the tree of SIZE entries (RFC 9162)"
)
def inclusion(
    seq: int = Query(ge=1, le=MAX_SEQ),
    size: int = Query(ge=1, le=MAX_SEQ),
    db: Session = Depends(get_db, scope="function"),
) -> dict[str, Any]:
    return _proof(lambda: checkpoints.inclusion_proof(db, seq, size))


@router.get(
    "/proofs/consistency", summary="Proof that the tree of FIRST entries is a prefix of SECOND's (RFC 9162)"
)
def consistency(
    first: int = Query(ge=1, le=MAX_SEQ),
    second: int = Query(ge=1, le=MAX_SEQ),
    db: Session = Depends(get_db, scope="function"),
) -> dict[str, Any]:
    return _proof(lambda: checkpoints.consistency_proof(db, first, second))


def _proof(make: Any) -> dict[str, Any]:
    from dreamnexus.errors import InvalidInput

    try:
        return make()
    except (ValueError, checkpoints.CheckpointError) as error:
        raise InvalidInput(str(error)) from None
