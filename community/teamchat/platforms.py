"""The three platforms' rules, apart from the database: whose webhook addresses are whose, who
signs and how, what a message's body looks like, and what an answer means. Written from each
platform's public documentation of custom group robots (自定义机器人):

- WeCom (企业微信): POST `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`, body
  `{"msgtype": "markdown", "markdown": {"content": …}}` (at most 4096 bytes). Not signed: the
  key in the address is the only credential. Answers `{"errcode": 0, "errmsg": "ok"}`.
- DingTalk (钉钉): POST `https://oapi.dingtalk.com/robot/send?access_token=…`, body
  `{"msgtype": "markdown", "markdown": {"title": …, "text": …}}`. Signed ("加签"): `timestamp`
  (milliseconds) and `sign` = base64(HMAC-SHA256(key=secret, msg=timestamp + "\\n" + secret))
  as query parameters; the secret starts with "SEC". Answers `{"errcode": 0, …}`.
- Feishu / Lark (飞书): POST `https://open.feishu.cn/open-apis/bot/v2/hook/<token>`
  (`open.larksuite.com` for Lark), body `{"msg_type": "post", "content": {"post": {"zh_cn":
  {"title": …, "content": [[{"tag": "text", …}], …]}}}}`. Signed ("签名校验"): `timestamp`
  (seconds) and `sign` = base64(HMAC-SHA256(key=timestamp + "\\n" + secret, msg="")) in the
  body. Answers `{"code": 0, "msg": "success"}` (older robots: `{"StatusCode": 0}`).

Both signatures are only good for about an hour, so they are made at each try, never stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from community.core.errors import DomainError
from community.teamchat.models import Platform

MAX_URL = 500
MAX_SECRET = 200
WECOM_MAX_BYTES = 4096
LOOPBACK_HOST = "127.0.0.1"  # tests' local receivers (app.testing or TEAMCHAT_ALLOW_LOOPBACK)


class TeamChatError(DomainError):
    """A team-chat change refused; `message` is in the person's language."""


@dataclass(frozen=True)
class Rules:
    label: Any  # the platform's name, in the reader's language
    hosts: tuple[str, ...]
    path: str  # the webhook path, or its prefix when the token ends it (Feishu)
    token_param: str | None  # the query parameter holding the access token
    signs: bool
    secret_prefix: str = ""


RULES: dict[Platform, Rules] = {
    Platform.WECOM: Rules(
        _l("WeCom (企业微信)"), ("qyapi.weixin.qq.com",), "/cgi-bin/webhook/send", "key", False
    ),
    Platform.FEISHU: Rules(
        _l("Feishu / Lark (飞书)"),
        ("open.feishu.cn", "open.larksuite.com"),
        "/open-apis/bot/v2/hook/",
        None,
        True,
    ),
    Platform.DINGTALK: Rules(
        _l("DingTalk (钉钉)"), ("oapi.dingtalk.com",), "/robot/send", "access_token", True, "SEC"
    ),
}


def platform_label(platform: Platform | str) -> str:
    return str(RULES[Platform(platform)].label)


def example_url(platform: Platform | str) -> str:
    """What a webhook address of `platform` looks like (for the form's hint)."""
    rules = RULES[Platform(platform)]
    if rules.token_param:
        return f"https://{rules.hosts[0]}{rules.path}?{rules.token_param}=…"
    return f"https://{rules.hosts[0]}{rules.path}…"


def _clean(text: str | None) -> str:
    """One line without control characters or surrounding space."""
    return "".join(ch for ch in (text or "") if unicodedata.category(ch)[0] != "C").strip()


def check_webhook(platform: Platform, value: str | None, *, allow_loopback: bool) -> str:
    """`value` when it is `platform`'s webhook address: https, the platform's own host, its
    robot path and an access token; else a refusal on the `webhook_url` field. With
    `allow_loopback` (tests) any http://127.0.0.1 address is taken too."""
    url = _clean(value)
    if not url:
        raise TeamChatError(_("Paste the robot's webhook address."), field="webhook_url")
    if len(url) > MAX_URL:
        raise TeamChatError(
            ngettext(
                "A webhook address may have at most %(num)d character.",
                "A webhook address may have at most %(num)d characters.",
                MAX_URL,
            ),
            field="webhook_url",
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or " " in url or not parts.hostname:
        raise TeamChatError(
            _(
                "That is not a web address. Copy the whole webhook address from the group's robot settings."
            ),
            field="webhook_url",
        )
    host = parts.hostname.lower()
    if allow_loopback and host == LOOPBACK_HOST and parts.scheme in ("http", "https"):
        return url
    if parts.scheme != "https":
        raise TeamChatError(_("The webhook address must start with https://."), field="webhook_url")
    rules = RULES[platform]
    if host not in rules.hosts or parts.username or parts.password or port not in (None, 443):
        raise TeamChatError(
            _(
                "That is not a %(platform)s address: a %(platform)s robot's webhook is on %(hosts)s.",
                platform=platform_label(platform),
                hosts=", ".join(rules.hosts),
            ),
            field="webhook_url",
        )
    if rules.token_param is None:  # the token ends the path
        token = parts.path.removeprefix(rules.path) if parts.path.startswith(rules.path) else ""
        has_token = bool(token) and "/" not in token
    else:
        token = dict(parse_qsl(parts.query)).get(rules.token_param, "")
        has_token = parts.path == rules.path and bool(token)
    if not has_token:
        raise TeamChatError(
            _(
                "This address has no robot token. Copy the whole webhook address, like %(example)s",
                example=example_url(platform),
            ),
            field="webhook_url",
        )
    return url


def check_secret(platform: Platform, value: str | None) -> str | None:
    """The signing secret a platform that signs needs (None for WeCom, which does not sign);
    a refusal on the `secret` field when it is missing, malformed or not wanted."""
    secret = _clean(value)
    rules = RULES[platform]
    if not rules.signs:
        if secret:
            raise TeamChatError(
                _("WeCom robots do not sign their messages: leave the secret empty."),
                field="secret",
            )
        return None
    if not secret:
        raise TeamChatError(
            _(
                "%(platform)s robots sign their messages: paste the secret from the robot's security settings.",
                platform=platform_label(platform),
            ),
            field="secret",
        )
    if len(secret) > MAX_SECRET or " " in secret:
        raise TeamChatError(_("That secret does not look right."), field="secret")
    if rules.secret_prefix and not secret.startswith(rules.secret_prefix):
        raise TeamChatError(
            _(
                "A %(platform)s secret starts with %(prefix)s.",
                platform=platform_label(platform),
                prefix=rules.secret_prefix,
            ),
            field="secret",
        )
    return secret


def masked(value: str | None, keep: int = 4) -> str:
    """A secret cut short: its first and last `keep` characters ("SEC1…9f0a"), so HR can tell
    which one it is without it being shown."""
    if not value:
        return ""
    if len(value) <= keep * 3:
        return "…"
    return f"{value[:keep]}…{value[-keep:]}"


def masked_url(url: str) -> str:
    """A webhook address with its token cut short (the token is the group's password)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return masked(url)
    query = [(key, masked(value)) for key, value in parse_qsl(parts.query, keep_blank_values=True)]
    path = parts.path
    for rules in RULES.values():
        if rules.token_param is None and path.startswith(rules.path):
            path = rules.path + masked(path.removeprefix(rules.path))
    shown = "&".join(f"{key}={value}" for key, value in query)  # (for reading, not for use)
    return urlunsplit((parts.scheme, parts.netloc, path, shown, ""))


# Messages --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """What a robot says, already in the company's language: a title, a few lines, a link back
    to the app. `locale` picks Feishu's language key."""

    title: str
    lines: tuple[str, ...] = ()
    link: str = ""
    link_text: str = ""
    locale: str = "zh_CN"

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "lines": list(self.lines),
            "link": self.link,
            "link_text": self.link_text,
            "locale": self.locale,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Message:
        return cls(
            title=str(data.get("title", "")),
            lines=tuple(str(line) for line in data.get("lines", [])),
            link=str(data.get("link", "")),
            link_text=str(data.get("link_text", "")),
            locale=str(data.get("locale", "zh_CN")),
        )


def _markdown_link(message: Message) -> str:
    return f"[{message.link_text}]({message.link})" if message.link else ""


def _fit_bytes(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[: limit - 3].decode("utf-8", errors="ignore") + "…"


def wecom_body(message: Message) -> dict[str, Any]:
    parts = [f"**{message.title}**", *message.lines]
    link = _markdown_link(message)
    text = "\n".join(parts)
    budget = WECOM_MAX_BYTES - len(link.encode("utf-8")) - 1
    content = _fit_bytes(text, budget) + ("\n" + link if link else "")
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_body(message: Message) -> dict[str, Any]:
    # DingTalk's markdown starts a new line only after an empty one.
    text = "\n\n".join(
        [f"#### {message.title}", *message.lines, *[_markdown_link(message)] * bool(message.link)]
    )
    return {"msgtype": "markdown", "markdown": {"title": message.title, "text": text}}


def feishu_body(message: Message) -> dict[str, Any]:
    paragraphs: list[list[dict[str, str]]] = [
        [{"tag": "text", "text": line}] for line in message.lines
    ]
    if message.link:
        paragraphs.append([{"tag": "a", "text": message.link_text, "href": message.link}])
    language = "en_us" if message.locale.startswith("en") else "zh_cn"
    return {
        "msg_type": "post",
        "content": {"post": {language: {"title": message.title, "content": paragraphs}}},
    }


def dingtalk_sign(secret: str, timestamp_ms: str) -> str:
    """DingTalk's `sign`: HMAC-SHA256 keyed by the secret over "timestamp\\nsecret", base64."""
    digest = hmac.new(
        secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def feishu_sign(secret: str, timestamp_s: str) -> str:
    """Feishu's `sign`: HMAC-SHA256 keyed by "timestamp\\nsecret" over an empty message, base64."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


@dataclass(frozen=True)
class Request:
    url: str
    body: dict[str, Any]

    def content(self) -> bytes:
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


def _with_query(url: str, extra: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), *extra.items()]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def build_request(
    platform: Platform, url: str, secret: str | None, message: Message, now: datetime
) -> Request:
    """The request that posts `message` through a robot at `now` (naive UTC), signed when the
    robot has a secret and its platform signs."""
    epoch = now.replace(tzinfo=UTC).timestamp()
    if platform == Platform.WECOM:
        return Request(url, wecom_body(message))
    if platform == Platform.DINGTALK:
        if secret:
            timestamp = str(int(epoch * 1000))
            url = _with_query(
                url, {"timestamp": timestamp, "sign": dingtalk_sign(secret, timestamp)}
            )
        return Request(url, dingtalk_body(message))
    body = feishu_body(message)
    if secret:
        timestamp = str(int(epoch))
        body = {"timestamp": timestamp, "sign": feishu_sign(secret, timestamp), **body}
    return Request(url, body)


def read_answer(platform: Platform, status: int, text: str) -> str | None:
    """None when the platform took the message; else what went wrong, in a line for HR's page
    (the platform's own code and words: they are what its documentation explains)."""
    try:
        answer = json.loads(text) if text else None
    except ValueError:
        answer = None
    if not 200 <= status < 300:
        detail = _detail(platform, answer)
        return f"HTTP {status}" + (f": {detail}" if detail else "")
    if not isinstance(answer, dict):
        return _("The platform's answer was not understood.")
    if platform == Platform.FEISHU:
        code = answer.get("code", answer.get("StatusCode"))
    else:
        code = answer.get("errcode")
    if code in (0, "0"):
        return None
    return _detail(platform, answer) or _("The platform refused the message.")


def _detail(platform: Platform, answer: Any) -> str:
    if not isinstance(answer, dict):
        return ""
    if platform == Platform.FEISHU:
        code = answer.get("code", answer.get("StatusCode"))
        words = answer.get("msg", answer.get("StatusMessage", ""))
    else:
        code, words = answer.get("errcode"), answer.get("errmsg", "")
    return f"{code} {words}".strip() if code is not None else ""
