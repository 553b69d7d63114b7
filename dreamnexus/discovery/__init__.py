"""Discovery: dreams that resonate with mine, semantic search, and fair dream exchanges."""
