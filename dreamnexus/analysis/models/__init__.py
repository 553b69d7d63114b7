"""Embedding model files shipped with Dream Nexus (see docs/embeddings.md)."""
