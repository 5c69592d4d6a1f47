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

    from community.core import errors, layout, security, templating

    errors.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    layout.init_app(app)

    from community.accounts.routes import bp as accounts_bp
    from community.badges.routes import bp as badges_bp
    from community.home.routes import bp as home_bp
    from community.jobs.routes import bp as jobs_bp
    from community.notifications.routes import bp as notifications_bp
    from community.payouts.routes import bp as payouts_bp
    from community.perks.points_routes import bp as my_points_bp
    from community.perks.routes import bp as perks_bp
    from community.points.routes import bp as leaderboards_bp
    from community.program.routes import bp as program_bp
    from community.referrals.routes import bp as referrals_bp
    from community.thanks.routes import bp as thanks_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(program_bp)
    app.register_blueprint(referrals_bp)
    app.register_blueprint(payouts_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(leaderboards_bp)
    app.register_blueprint(thanks_bp)
    app.register_blueprint(perks_bp)
    app.register_blueprint(my_points_bp)
    app.register_blueprint(badges_bp)

    from community import cli
    from community.points import boards

    cli.init_app(app)
    boards.init_app(app)
    return app
