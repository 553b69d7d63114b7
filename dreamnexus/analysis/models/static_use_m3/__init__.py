"""Static embedding table distilled from USE multilingual v3; built by tools/distill_embeddings.py."""
