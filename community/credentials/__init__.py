"""Badges people can take with them: an earned badge exported as an Open Badges 3.0
`OpenBadgeCredential` (a W3C verifiable credential signed as a VC-JWT with EdDSA), the issuer's
public profile and keys, a public verification page per credential, and the revocation list a
verifier follows. A badge HR revokes revokes its credentials (`listeners`). See
docs/credentials.md."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.credentials import listeners
    from community.credentials.routes import bp

    app.register_blueprint(bp)
    listeners.init_app()
