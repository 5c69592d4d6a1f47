"""The demo's API tokens: an ATS's sync in use and a payroll export HR revoked. Their secrets
are thrown away when they are made: the demo never prints one (HR makes a new token on the
page to try the API)."""

from __future__ import annotations

# (name, scopes, last used (hours ago) or None, revoked (days ago) or None)
TOKENS = [
    (
        "Moka ATS 同步",
        ["jobs:read", "referrals:read", "referrals:write", "candidates:read"],
        2,
        None,
    ),
    ("薪资系统导出 (旧)", ["payouts:read", "people:read"], 24 * 40, 30),
]
