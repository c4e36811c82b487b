"""`warmonitor serve`: the stored record over HTTP — a JSON API, a dashboard and analyst review.

    from warmonitor.serve.app import create_app, ServeSettings
    app = create_app(ServeSettings(db="sqlite:///warmonitor.db"))   # any ASGI server runs it

The API is described in docs/api.md and, live, at /api/docs.
"""
