"""Referral Community (内推社区): the application factory."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

from community.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure one app instance."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(load_config(Path(app.instance_path), test_config))
    Path(app.config["UPLOAD_FOLDER"]).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # one line per plugin

    from community import models  # noqa: F401  (registers every model with the metadata)
    from community.extensions import (
        babel,
        csrf,
        db,
        htmx,
        limiter,
        login_manager,
        migrate,
        redis_store,
    )

    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    redis_store.init_app(app)
    limiter.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)

    from community.core import i18n

    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.init_app(app)

    from community.accounts import auth

    auth.init_login(app, login_manager)

    from community.core import errors, layout, permissions, security, templating, transaction

    transaction.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    permissions.init_app(app)
    templating.init_app(app)
    layout.init_app(app)

    from community.core import params

    app.url_map.converters["int"] = (
        params.BoundedIntConverter
    )  # before any route: ids fit the columns

    from community.accounts.routes import bp as accounts_bp
    from community.home.routes import bp as home_bp
    from community.jobs.routes import bp as jobs_bp
    from community.program.routes import bp as program_bp
    from community.referrals.routes import bp as referrals_bp

    for blueprint in (home_bp, accounts_bp, jobs_bp, program_bp, referrals_bp):
        app.register_blueprint(blueprint)

    from community import (
        analytics,
        api,
        badges,
        challenges,
        club,
        credentials,
        forum,
        invites,
        leaderboards,
        links,
        mail,
        mentoring,
        network,
        notifications,
        payouts,
        people,
        perks,
        points,
        search,
        sharing,
        teamchat,
        thanks,
        webhooks,
    )
    from community.jobs import permissions as job_permissions
    from community.program import permissions as program_permissions
    from community.referrals import permissions as referral_permissions

    for predicates in (job_permissions, program_permissions, referral_permissions):
        predicates.init_app(app)
    from community import referrals, worker

    worker.init_app(app)  # before the rooms, which register their duties with it
    referrals.init_app(app)
    # The rooms that listen to events subscribe here, in this order (docs/architecture.md).
    # Notifications last: the referrer's "moved to …" is written after (and so listed above)
    # the badge and bonus notices the same move earns.
    for room in (
        points,
        challenges,
        club,
        forum,
        search,
        leaderboards,
        badges,
        payouts,
        thanks,
        perks,
        people,
        mentoring,
        sharing,
        teamchat,
        network,
        links,
        invites,
        credentials,
        webhooks,
        analytics,
        notifications,
        mail,
        api,
    ):
        room.init_app(app)

    from community import cli

    cli.init_app(app)
    return app
