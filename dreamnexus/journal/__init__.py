"""Dreams, their visibility and consents, and the consent ledger."""
