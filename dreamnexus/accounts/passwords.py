"""Password policy (ASVS 5.0: length, no composition rules, common passwords refused) and argon2id hashing."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dreamnexus.errors import InvalidInput

MIN_LENGTH = 8
MAX_LENGTH = 128

# OWASP's minimum argon2id configuration: m=19 MiB, t=2, p=1.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16)
# A hash that costs as much as a real one, compared against when the account does not exist,
# so that timing does not reveal which e-mail addresses are registered.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = files("dreamnexus.accounts").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def check_password_policy(password: str, *, email: str = "", display_name: str = "") -> None:
    if not isinstance(password, str):
        raise InvalidInput("The password must be text.")
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"The password must have at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"The password can have at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) <= 2:
        raise InvalidInput("This password is too common; choose another.")
    local_part = email.split("@", 1)[0].lower()
    if (local_part and lowered == local_part) or (display_name and lowered == display_name.lower()):
        raise InvalidInput("The password must not be your e-mail address or name.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
