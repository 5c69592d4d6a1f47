"""No session under /api/v1: a call is authenticated by its bearer token alone. Here the app's
session interface opens an empty session for those paths and never saves one, so a browser's
session cookie sent along is not read (it logs nobody in) and no cookie is ever set."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SessionInterface, SessionMixin

API_PREFIX = "/api/v1/"


class NoSessionForTheApi(SessionInterface):
    def __init__(self, inner: SessionInterface) -> None:
        self.inner = inner

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        if request.path.startswith(API_PREFIX):
            return SecureCookieSession()
        return self.inner.open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        from flask import request

        if request.path.startswith(API_PREFIX):
            return None
        return self.inner.save_session(app, session, response)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def init_app(app: Flask) -> None:
    app.session_interface = NoSessionForTheApi(app.session_interface)
