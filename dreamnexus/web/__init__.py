"""The HTTP application: app factory, middleware, shared templates and static files."""
