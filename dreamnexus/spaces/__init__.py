"""Shared dreamscapes: membership, invites and contributions."""
