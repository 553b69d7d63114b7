"""Encryption at rest: a master keyring, envelope-sealed column values, and blind search tokens."""
