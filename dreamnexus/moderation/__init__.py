"""Abuse defences across the platform: trust levels, screening, flags, the moderation queue, sanctions
and appeals."""
