"""Dream Nexus: share dreams, weave them into collective narratives."""

__version__ = "0.1.0"
