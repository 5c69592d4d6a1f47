"""The demo's integrations: a Greenhouse-like ATS that sends stage changes, and an outbound
endpoint at an address that never resolves, so its deliveries fail visibly in the log."""

from __future__ import annotations

SOURCE = ("Greenhouse", "greenhouse", "greenhouse")
# How many in-flight referrals (oldest first, at submitted or screening) the ATS knows, as
# "gh-<number>", and the stages it then sends for the first of them: a move, then a late
# event for a stage behind it (ignored).
LINKED = 4
FIRST_APPLICATION = 1001
EVENTS = (("gh-1001", "Phone Interview"), ("gh-1001", "Application Review"), ("gh-1002", "Offer"))
ENDPOINT = (
    "Payroll and ATS bridge",
    "https://ats-bridge.example.invalid/webhooks/referrals",
    ("referral.stage_changed", "referral.hired", "payout.due"),
)
