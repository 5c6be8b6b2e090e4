"""The open JSON API under /api/v1/: read-only, no login, throttled, the same filters as the public pages."""
