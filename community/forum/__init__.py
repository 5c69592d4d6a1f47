"""The referrer club's forum."""

from flask import Flask


def init_app(app: Flask) -> None:
    from community.forum import moderation

    moderation.init_app(app)
