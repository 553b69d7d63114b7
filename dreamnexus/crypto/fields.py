"""Column types that seal on write and open on read, so services and templates see plain values."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from dreamnexus.crypto import keyring
from dreamnexus.crypto.keyring import PREFIX


class EncryptedText(TypeDecorator[str]):
    """Text sealed with the instance keyring; `purpose` binds a value to its column (no swapping)."""

    impl = Text
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value: str | None, dialect: object) -> str | None:
        if value is None:
            return None
        return keyring.current().seal(value.encode("utf-8"), self.purpose)

    def process_result_value(self, value: str | None, dialect: object) -> str | None:
        if value is None or not value.startswith(PREFIX):
            return value  # written before encryption was on; `dreamnexus keys seal` seals it
        return keyring.current().open(value, self.purpose).decode("utf-8")


class EncryptedJSON(TypeDecorator[Any]):
    impl = Text
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value: Any, dialect: object) -> str | None:
        if value is None:
            return None
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return keyring.current().seal(data, self.purpose)

    def process_result_value(self, value: str | None, dialect: object) -> Any:
        if value is None:
            return None
        if not value.startswith(PREFIX):
            return json.loads(value)
        return json.loads(keyring.current().open(value, self.purpose))
