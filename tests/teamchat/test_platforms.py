"""The platforms' rules on their own: whose addresses are whose, secrets, signatures (checked
against the platforms' documented recipe, written out here once more), bodies and answers."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from community.teamchat.models import Platform
from community.teamchat.platforms import (
    Message,
    TeamChatError,
    build_request,
    check_secret,
    check_webhook,
    masked,
    masked_url,
    read_answer,
)

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=8d3bd2c1b1a6e9f4e2a1c0d9f8e7d6c5"
FEISHU = "https://open.feishu.cn/open-apis/bot/v2/hook/2f1e0d9c-8b7a-4655-9e4d-3c2b1a0f9e8d"
LARK = "https://open.larksuite.com/open-apis/bot/v2/hook/2f1e0d9c-8b7a-4655-9e4d-3c2b1a0f9e8d"
NOON = datetime(2026, 12, 3, 4, 0, 0)  # naive UTC, as stored
MESSAGE = Message(
    title="公告：内推奖励调整",
    lines=("自 1 月 1 日起，入职奖金提前发放。",),
    link="https://refer.example.com/thanks/",
    link_text="在感谢墙上查看",
    locale="zh_CN",
)


@pytest.mark.parametrize(
    ("platform", "url"),
    [
        (Platform.WECOM, WECOM),
        (Platform.DINGTALK, DINGTALK),
        (Platform.FEISHU, FEISHU),
        (Platform.FEISHU, LARK),
    ],
)
def test_each_platforms_own_address_is_taken(platform: Platform, url: str) -> None:
    assert check_webhook(platform, f"  {url}  ", allow_loopback=False) == url


@pytest.mark.parametrize(
    ("platform", "url", "says"),
    [
        (Platform.WECOM, "", "Paste the robot's webhook address."),
        (Platform.WECOM, "not a url", "That is not a web address"),
        (Platform.WECOM, WECOM.replace("https", "http"), "must start with https://"),
        (Platform.WECOM, DINGTALK, "That is not a WeCom (企业微信) address"),
        (Platform.DINGTALK, WECOM, "oapi.dingtalk.com"),
        (
            Platform.FEISHU,
            "https://open.feishu.cn.evil.example/open-apis/bot/v2/hook/x",
            "open.feishu.cn",
        ),
        (
            Platform.WECOM,
            "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=x",
            "not a WeCom",
        ),
        (
            Platform.WECOM,
            "https://me@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x",
            "not a WeCom",
        ),
        (Platform.WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "no robot token"),
        (
            Platform.DINGTALK,
            "https://oapi.dingtalk.com/robot/other?access_token=x",
            "no robot token",
        ),
        (Platform.FEISHU, "https://open.feishu.cn/open-apis/bot/v2/hook/", "no robot token"),
        (Platform.WECOM, "http://127.0.0.1:8080/cgi-bin/webhook/send?key=x", "https://"),
        (Platform.WECOM, WECOM + "&x=" + "a" * 500, "at most 500 characters"),
    ],
)
def test_a_wrong_address_is_refused_on_its_field(platform: Platform, url: str, says: str) -> None:
    with pytest.raises(TeamChatError) as refused:
        check_webhook(platform, url, allow_loopback=False)
    assert says in refused.value.message
    assert refused.value.field == "webhook_url"


def test_a_local_receiver_is_taken_only_when_allowed() -> None:
    local = "http://127.0.0.1:8080/anything"
    assert check_webhook(Platform.DINGTALK, local, allow_loopback=True) == local
    with pytest.raises(TeamChatError):
        check_webhook(Platform.DINGTALK, "http://localhost:8080/x", allow_loopback=True)


def test_secrets_are_wanted_where_the_platform_signs() -> None:
    assert check_secret(Platform.WECOM, "") is None
    assert check_secret(Platform.DINGTALK, " SECabc ") == "SECabc"
    assert check_secret(Platform.FEISHU, "abc") == "abc"
    cases = [
        (Platform.WECOM, "SECabc", "WeCom robots do not sign"),
        (Platform.DINGTALK, "", "DingTalk (钉钉) robots sign their messages"),
        (Platform.FEISHU, "  ", "Feishu / Lark (飞书) robots sign their messages"),
        (Platform.DINGTALK, "abc", "starts with SEC"),
        (Platform.FEISHU, "two words", "does not look right"),
    ]
    for platform, secret, says in cases:
        with pytest.raises(TeamChatError) as refused:
            check_secret(platform, secret)
        assert says in refused.value.message
        assert refused.value.field == "secret"


def test_secrets_and_tokens_are_shown_cut_short() -> None:
    assert masked("SEC0123456789abcdef") == "SEC0…cdef"
    assert masked("short") == "…"
    assert masked_url(DINGTALK) == "https://oapi.dingtalk.com/robot/send?access_token=8d3b…d6c5"
    assert masked_url(FEISHU) == "https://open.feishu.cn/open-apis/bot/v2/hook/2f1e…9e8d"
    assert "693a91f6-7xxx" not in masked_url(WECOM)


def test_dingtalk_signs_in_the_query_with_milliseconds() -> None:
    secret = "SECthis-is-a-secret"
    request = build_request(Platform.DINGTALK, DINGTALK, secret, MESSAGE, NOON)
    query = parse_qs(urlsplit(request.url).query)
    timestamp = query["timestamp"][0]
    assert timestamp == "1796270400000"  # 2026-12-03 04:00 UTC in milliseconds
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]
    assert query["access_token"] == ["8d3bd2c1b1a6e9f4e2a1c0d9f8e7d6c5"]
    assert request.body == {
        "msgtype": "markdown",
        "markdown": {
            "title": MESSAGE.title,
            "text": "#### 公告：内推奖励调整\n\n自 1 月 1 日起，入职奖金提前发放。\n\n"
            "[在感谢墙上查看](https://refer.example.com/thanks/)",
        },
    }


def test_feishu_signs_in_the_body_with_seconds() -> None:
    secret = "feishu-secret"
    request = build_request(Platform.FEISHU, FEISHU, secret, MESSAGE, NOON)
    assert request.url == FEISHU
    timestamp = request.body["timestamp"]
    assert timestamp == "1796270400"
    expected = base64.b64encode(
        hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    ).decode()
    assert request.body["sign"] == expected
    assert request.body["msg_type"] == "post"
    assert request.body["content"]["post"]["zh_cn"] == {
        "title": MESSAGE.title,
        "content": [
            [{"tag": "text", "text": "自 1 月 1 日起，入职奖金提前发放。"}],
            [{"tag": "a", "text": "在感谢墙上查看", "href": "https://refer.example.com/thanks/"}],
        ],
    }
    english = build_request(Platform.FEISHU, FEISHU, secret, Message("T", locale="en"), NOON)
    assert set(english.body["content"]["post"]) == {"en_us"}


def test_wecom_is_markdown_unsigned_and_within_its_size() -> None:
    request = build_request(Platform.WECOM, WECOM, None, MESSAGE, NOON)
    assert request.url == WECOM
    assert request.body == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**公告：内推奖励调整**\n自 1 月 1 日起，入职奖金提前发放。\n"
            "[在感谢墙上查看](https://refer.example.com/thanks/)"
        },
    }
    long = Message("T", lines=("长" * 3000,), link="https://x.example/", link_text="link")
    content = build_request(Platform.WECOM, WECOM, None, long, NOON).body["markdown"]["content"]
    assert len(content.encode()) <= 4096
    assert content.endswith("[link](https://x.example/)")


@pytest.mark.parametrize(
    ("platform", "status", "text", "error"),
    [
        (Platform.WECOM, 200, '{"errcode":0,"errmsg":"ok"}', None),
        (Platform.DINGTALK, 200, '{"errcode":0,"errmsg":"ok"}', None),
        (Platform.FEISHU, 200, '{"code":0,"msg":"success","data":{}}', None),
        (Platform.FEISHU, 200, '{"StatusCode":0,"StatusMessage":"success"}', None),
        (
            Platform.WECOM,
            200,
            '{"errcode":93000,"errmsg":"invalid webhook url"}',
            "93000 invalid webhook url",
        ),
        (
            Platform.DINGTALK,
            200,
            '{"errcode":310000,"errmsg":"sign not match"}',
            "310000 sign not match",
        ),
        (Platform.FEISHU, 200, '{"code":19021,"msg":"sign match fail"}', "19021 sign match fail"),
        (Platform.DINGTALK, 502, "<html>bad gateway</html>", "HTTP 502"),
        (
            Platform.WECOM,
            429,
            '{"errcode":45009,"errmsg":"api freq out of limit"}',
            "HTTP 429: 45009 api freq out of limit",
        ),
        (Platform.WECOM, 200, "ok", "The platform's answer was not understood."),
    ],
)
def test_the_platforms_answers(
    platform: Platform, status: int, text: str, error: str | None
) -> None:
    assert read_answer(platform, status, text) == error
