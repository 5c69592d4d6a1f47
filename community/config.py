"""Configuration read from the environment, with safe development defaults.

Every setting can be given as an environment variable of the same name. Development secrets
(the session key) are generated once and kept in the instance folder, never in the repository.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "COMPANY_NAME": "Referral Community",
    "COMPANY_TIMEZONE": "Asia/Shanghai",
    # The company's mail domains, main one first: "corp.com, corp-old.com" makes
    # ann@corp-old.com the same person as ann@corp.com (core.emails). Empty: no aliases.
    "COMPANY_EMAIL_DOMAINS": "",
    "DEFAULT_LOCALE": "zh_CN",
    "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
    "RESUME_MAX_BYTES": 5 * 1024 * 1024,
    # How long a resume from a form that was not accepted is kept for the next try.
    "RESUME_KEEP_MINUTES": 60,
    "SET_PASSWORD_TOKEN_HOURS": 72,
    "LOGIN_RATE_LIMIT": "10 per minute",
    "LOGIN_ADDRESS_RATE_LIMIT": "60 per minute",
    "ITEMS_PER_PAGE": 25,
    "LEADERBOARD_EXCLUDE_HR": True,
    "LEADERBOARD_PREFIX": "lb",
    "WORKER_QUEUE": "community",  # the Huey queue's name in Redis (several apps can share one Redis)
    "PAYOUT_OVERDUE_DAYS": 14,
    # Challenges: a manager's challenge waits for HR's approval; the multiplier's upper bound
    # (500 = 5×); the most bonus points one person earns from one challenge's multiplier; how
    # many referral submissions a day count in a challenge (small actions are capped).
    "CHALLENGE_APPROVAL": True,
    "CHALLENGE_MAX_MULTIPLIER_PERCENT": 500,
    "CHALLENGE_BONUS_CAP": 2000,
    "CHALLENGE_DAILY_SUBMISSIONS": 3,
    # Mentoring (老带新): who may offer besides someone with a confirmed hire (a gold-referrer
    # tier HR's thresholds give: "bronze", "silver" or "gold"; "" for nobody else); how long a
    # person counts as a newcomer after joining; the longest capacity; how long a pairing runs
    # unless the pair says otherwise; how long a request waits; the mentor's reward for a mentee's
    # first referral that passes screening, and at most how many rewards per mentor per period.
    "MENTOR_MIN_TIER": "silver",
    "MENTORING_NEWCOMER_DAYS": 90,
    "MENTORING_MAX_CAPACITY": 5,
    "MENTORING_DEFAULT_DAYS": 90,
    "MENTORING_REQUEST_DAYS": 14,
    "MENTORING_REWARD_POINTS": 50,
    "MENTORING_REWARD_CAP": 3,
    "MENTORING_REWARD_PERIOD_DAYS": 90,
    # The referrer club: the ways in besides HR's appointment ("hire": a first hire among one's
    # referrals; "level": reaching the level at position CLUB_MEMBER_LEVEL, 1 the lowest).
    "CLUB_MEMBERSHIP": "hire",
    "CLUB_MEMBER_LEVEL": 0,
    # The club's forum: the longest post (characters), how many people one post may @mention,
    # how fast one person may post topics and replies (Flask-Limiter's notation), points for a
    # helpful vote and the most a person earns from votes in one day, points for an accepted
    # answer (once per question), and page sizes.
    "FORUM_MAX_POST_CHARS": 20000,
    "FORUM_MAX_MENTIONS": 10,
    "FORUM_POST_RATE_LIMIT": "6 per minute",
    "FORUM_VOTE_POINTS": 2,
    "FORUM_VOTE_POINTS_DAILY_CAP": 20,
    "FORUM_ACCEPTED_POINTS": 15,
    "FORUM_ACCEPTED_DAILY_CAP": 3,
    "FORUM_POSTS_PER_PAGE": 20,
    "FORUM_TOPICS_PER_PAGE": 30,
    # Forum moderation: how many people's open flags hide a post until a moderator reviews it;
    # after how many days a question without an accepted answer reminds its asker (once).
    "FORUM_FLAGS_TO_HIDE": 3,
    "FORUM_ANSWER_REMINDER_DAYS": 3,
    "PERK_PICTURE_MAX_BYTES": 2 * 1024 * 1024,
    # The app's address as people open it: links in messages that leave the app (team chat,
    # e-mail) start with it.
    "APP_BASE_URL": "http://127.0.0.1:5000",
    # Team chat (group robots): how long one try waits for the platform; the waits before each
    # retry, in minutes (a message that failed every try is marked failed); the most messages
    # one robot posts a minute (the platforms allow about 20); whether http://127.0.0.1 webhook
    # addresses are accepted (a local receiver; always when TESTING).
    "TEAMCHAT_TIMEOUT_SECONDS": 5,
    "TEAMCHAT_RETRY_MINUTES": "1, 5, 30, 120",
    "TEAMCHAT_PER_ROBOT_PER_MINUTE": 10,
    "TEAMCHAT_ALLOW_LOOPBACK": False,
    # Webhooks (community/webhooks, docs/ats-sync.md): how long one outbound try waits; the
    # waits before each retry, in minutes (then failed); whether endpoint addresses may point
    # at loopback or private networks (off: no SSRF; the tests turn it on for a local
    # receiver); how often one address may post to one inbound source.
    "WEBHOOKS_TIMEOUT_SECONDS": 5,
    "WEBHOOKS_RETRY_MINUTES": "1, 5, 30, 120, 720",
    "WEBHOOKS_ALLOW_PRIVATE": False,
    "WEBHOOKS_INBOUND_RATE_LIMIT": "120 per minute",
    # Sharing sessions: the points an attendance earns, the most a person earns from attending
    # in one month (small actions are capped), how long before the start and after the end the
    # check-in code works, and the largest slides PDF (MAX_CONTENT_LENGTH bounds every upload).
    "SHARING_ATTENDANCE_POINTS": 10,
    "SHARING_MONTHLY_POINTS_CAP": 30,
    "SHARING_CHECK_IN_MARGIN_MINUTES": 30,
    "SHARING_SLIDES_MAX_BYTES": 5 * 1024 * 1024,
    # The private network: the most contacts one person keeps; an import's largest file (bytes)
    # and most rows; how long an import's preview can be confirmed; the outreach coach's good
    # hours to reach someone (weekdays, from START to END o'clock in the contact's zone).
    "NETWORK_MAX_CONTACTS": 5000,
    "NETWORK_IMPORT_MAX_BYTES": 512 * 1024,
    "NETWORK_IMPORT_MAX_ROWS": 1000,
    "NETWORK_IMPORT_PREVIEW_MINUTES": 30,
    "NETWORK_OUTREACH_START": 10,
    "NETWORK_OUTREACH_END": 15,
    # Personal links and referral codes (community/links): how often one visitor may open a code
    # or link that does not work (guessing codes; only misses count), send the application form
    # (every try counts), and how many applications one link takes (whoever sends them); the
    # prefix of the room's Redis keys (the day's salted visitor hashes).
    "LINKS_LOOKUP_RATE_LIMIT": "30 per hour",
    "LINKS_APPLY_RATE_LIMIT": "10 per hour",
    "LINKS_PER_LINK_RATE_LIMIT": "60 per hour",
    "LINKS_REDIS_PREFIX": "links",
    # Open Badges credentials (community/credentials): how often one visitor may check a pasted
    # credential on the public verify form (each check reads the keys and the credential).
    "CREDENTIALS_VERIFY_RATE_LIMIT": "30 per minute",
    # The JSON API (community/api): calls per token (docs/api.md).
    "API_RATE_LIMIT": "120 per minute",
    # E-mail (community/mail): the sender of every mail (links in mails start with APP_BASE_URL:
    # scheme and host, no path, as links carry APPLICATION_ROOT themselves); the SMTP server
    # (MAIL_BACKEND "smtp"; development writes files to MAIL_FILE_PATH, see load_config);
    # how many times the worker tries one mail before it is failed, the wait before the first
    # retry (each next wait is four times longer, at most six hours), and at most how many
    # mails one tick of the worker sends.
    "MAIL_DEFAULT_SENDER": "Referral Community <referrals@example.com>",
    "MAIL_SERVER": "localhost",
    "MAIL_PORT": 25,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_TIMEOUT": 30,
    "MAIL_MAX_ATTEMPTS": 6,
    "MAIL_RETRY_SECONDS": 60,
    "MAIL_SEND_BATCH": 500,
    # Digests of unread notifications go at this hour of the company's day (daily), and on
    # Mondays at this hour (weekly). An unsubscribe link in a mail works this many days.
    "DIGEST_HOUR": 8,
    "MAIL_UNSUBSCRIBE_DAYS": 365,
    # One-click invitations (community/invites): how many a referrer may send per day (in the
    # company's zone), the day of the one reminder, the day an unanswered one expires, the day
    # an invitation that was not accepted is deleted with its contact data (anonymous counts
    # stay); the SMS backend ("module:Class", see invites/sms.py; development writes files to
    # SMS_OUTBOX_PATH) and how many times the worker tries one SMS. INVITATION_SUPPRESSION_SALT
    # keys the "never invite me again" list (a salted hash of the contact): set it in
    # production and never change it, or the list forgets; empty derives it from SECRET_KEY.
    "INVITATIONS_PER_DAY": 10,
    "INVITATION_REMIND_DAYS": 7,
    "INVITATION_EXPIRY_DAYS": 14,
    "INVITATION_DELETE_DAYS": 30,
    "SMS_BACKEND": "community.invites.sms:OutboxSMS",
    "SMS_MAX_ATTEMPTS": 5,
    "INVITATION_SUPPRESSION_SALT": "",
    # How many proxies (a load balancer, a TLS terminator) stand in front of the app and set
    # X-Forwarded-For / -Proto: the client's address is read past them (rate limits count per
    # person, not per balancer). 0 trusts no such header.
    "TRUSTED_PROXIES": 0,
}

SUPPORTED_LOCALES = ("zh_CN", "en")


def _instance_secret(instance_path: Path) -> str:
    """Return a development secret kept in the instance folder, creating it once."""
    secret_file = instance_path / "secret_key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_hex(32))
        secret_file.chmod(0o600)
    return secret_file.read_text().strip()


def load_config(instance_path: Path, test_config: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the configuration mapping for one app instance."""
    env = os.environ
    config: dict[str, Any] = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        if key in env and isinstance(default, bool):  # bool("false") would be True
            config[key] = env[key].strip().lower() in ("1", "true", "yes", "on")
        elif key in env:
            config[key] = type(default)(env[key])

    config["ENV_NAME"] = env.get("COMMUNITY_ENV", "development")
    config["SQLALCHEMY_DATABASE_URI"] = _normalise_database_url(
        env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'community.sqlite'}"
    )
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    config["REDIS_URL"] = env.get("REDIS_URL") or None
    config["EMBEDDED_REDIS_DIR"] = str(instance_path / "redis")
    config["UPLOAD_FOLDER"] = env.get("UPLOAD_FOLDER") or str(instance_path / "uploads")
    # Mail goes to files in instance/outbox in development, to MAIL_SERVER in production.
    config["MAIL_BACKEND"] = env.get("MAIL_BACKEND") or (
        "smtp" if config["ENV_NAME"] == "production" else "file"
    )
    config["MAIL_FILE_PATH"] = env.get("MAIL_FILE_PATH") or str(instance_path / "outbox")
    # Text messages go to files in instance/sms-outbox in development (invites.sms.OutboxSMS).
    config["SMS_OUTBOX_PATH"] = env.get("SMS_OUTBOX_PATH") or str(instance_path / "sms-outbox")
    config["SECRET_KEY"] = env.get("SECRET_KEY")
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = "Lax"
    config["REMEMBER_COOKIE_HTTPONLY"] = True
    config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    config["SESSION_COOKIE_SECURE"] = config["ENV_NAME"] == "production"
    config["REMEMBER_COOKIE_SECURE"] = config["ENV_NAME"] == "production"
    config["WTF_CSRF_TIME_LIMIT"] = None
    config["BABEL_DEFAULT_LOCALE"] = config["DEFAULT_LOCALE"]
    config["BABEL_DEFAULT_TIMEZONE"] = "UTC"
    config["RATELIMIT_HEADERS_ENABLED"] = True
    # Limits are counted in Redis; while it is unreachable each worker counts them in memory
    # (and never turns a Redis error into a 500), and goes back to Redis once it answers again.
    config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] = True
    config["RATELIMIT_SWALLOW_ERRORS"] = True
    config["RATELIMIT_STORAGE_OPTIONS"] = {"socket_timeout": 2, "socket_connect_timeout": 1}

    if test_config:
        config.update(test_config)

    # In development team-chat messages are written to this folder instead of being posted, so
    # the demo's robots never reach a real group; TEAMCHAT_OUTBOX="" posts them for real.
    if "TEAMCHAT_OUTBOX" not in config:
        in_development = config["ENV_NAME"] == "development" and not config.get("TESTING")
        default_outbox = str(instance_path / "teamchat-outbox") if in_development else ""
        config["TEAMCHAT_OUTBOX"] = env.get("TEAMCHAT_OUTBOX", default_outbox)

    if not config.get("SECRET_KEY"):
        if config["ENV_NAME"] == "production":
            raise RuntimeError("SECRET_KEY must be set in production (COMMUNITY_ENV=production).")
        config["SECRET_KEY"] = _instance_secret(instance_path)
    elif config["ENV_NAME"] == "production" and len(config["SECRET_KEY"]) < 32:
        raise RuntimeError("SECRET_KEY is too short for production: use at least 32 characters.")
    return config


def _normalise_database_url(url: str) -> str:
    """Point plain postgres URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
