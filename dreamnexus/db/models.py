"""Imports every feature's tables so that metadata and migrations see them all."""

from dreamnexus.accounts import models as accounts_models
from dreamnexus.discovery import models as discovery_models
from dreamnexus.festival import models as festival_models
from dreamnexus.integrity import models as integrity_models
from dreamnexus.journal import models as journal_models
from dreamnexus.moderation import models as moderation_models
from dreamnexus.mydata import models as mydata_models
from dreamnexus.spaces import models as spaces_models
from dreamnexus.spaces import weave_models

__all__ = [
    "accounts_models",
    "discovery_models",
    "festival_models",
    "integrity_models",
    "journal_models",
    "moderation_models",
    "mydata_models",
    "spaces_models",
    "weave_models",
]
