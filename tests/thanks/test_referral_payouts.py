"""Issue 4 §1 leftover: a referral's own page lists its payouts (stage, amount, status, next step)
for its referrer and HR; anyone else still gets the referral's 404."""

from __future__ import annotations

from community.accounts.models import Role
from community.referrals.models import Stage
from tests.factories import make_job, make_user
from tests.payouts.factories import TO_HIRED
from tests.pipeline import walk
from tests.referrals.factories import make_referral
from tests.thanks.factories import paid_payout


def test_referrer_and_hr_see_the_payouts_on_the_referral(client, auth, hr):
    referrer = make_user()
    payout = paid_payout(hr, referrer)
    walk(payout.referral, hr, Stage.PROBATION_PASSED)
    for who in (referrer, hr):
        auth.login(who)
        page = client.get(f"/referrals/{payout.referral_id}").text
        assert page.count('data-testid="referral-payout"') == 2
        assert "¥3,000.00" in page and "¥7,000.00" in page  # 30% / 70% of 10,000
        assert "Paid on" in page and "PR-1" in page  # the paid one: date and reference
        assert "HR checks and approves it next" in page  # the pending one: its next step
        auth.logout()
    outsider = make_user(role=Role.MANAGER)
    auth.login(outsider)
    assert client.get(f"/referrals/{payout.referral_id}").status_code == 404


def test_in_chinese(client, auth, hr):
    referrer = make_user(locale="zh_CN")
    payout = paid_payout(hr, referrer)
    auth.login(referrer)
    page = client.get(f"/referrals/{payout.referral_id}").text
    assert "已发放" in page and 'data-testid="referral-payouts"' in page


def test_no_payouts_yet_no_section(client, auth, hr):
    referrer = make_user()
    referral = make_referral(referrer, make_job())
    walk(referral, hr, *TO_HIRED[:2])
    auth.login(referrer)
    assert 'data-testid="referral-payouts"' not in client.get(f"/referrals/{referral.id}").text
