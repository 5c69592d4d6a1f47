"""Who may reach each endpoint: the reviewed list the security tests check the app against.

A new route must be added here, under the rule it follows, before the suite passes: that is the
moment someone decides (and a test proves) who may use it.
"""

from __future__ import annotations

# Reachable without logging in (each one is marked @public in the app, or is the static folder).
PUBLIC = frozenset(
    {
        "static",
        "home.index",  # redirects anonymous visitors to the login page itself
        "home.healthz",
        "accounts.login",
        "accounts.set_language",
        "accounts.set_password",  # guarded by the one-time token instead
    }
)

# Any logged-in person (employee, manager, HR); what they see is their own or published data.
ANY_USER = frozenset(
    {
        "accounts.logout",
        "accounts.settings",
        "jobs.index",
        "jobs.detail",
        "leaderboards.index",  # public boards leave out whoever opted out; my rank is my own
        "leaderboards.screen",  # the same boards, full screen, for an office TV signed in
        "notifications.index",
        "notifications.read",
        "notifications.read_all",
        "program.rules",
        "badges.gallery",  # every badge; which ones I have
        "people.profile",  # a colleague's profile: ranks hidden if they opted out; see below
        "payouts.mine",  # only the person's own payouts
        "perks.shop",  # active perks, and only the person's own balance and redemptions
        "perks.redeem",  # spends only the person's own points
        "perks.picture",  # an active perk's picture (HR also sees inactive ones)
        "points.mine",  # only the person's own points history
        "referrals.mine",
        "referrals.new",
        "referrals.match_check",
        "thanks.index",  # the wall leaves out whoever opted out or was deactivated
        "thanks.react",  # a colleague's post (never one's own, nor a hidden one): see below
        "club.members",  # the club's current members and moderators; HR's controls for HR
        "search.results",  # forum search: visible posts only, the same for everyone
        "challenges.index",  # published challenges; drafts only for their host and HR
        "challenges.detail",  # a draft or one awaiting approval: 404 but for its host and HR
        "challenges.screen",  # the same, full screen
        "challenges.join",  # enters only the person themself, if in the challenge's scope
    }
)

# HR only: everyone else gets 403.
HR_ONLY = frozenset(
    {
        "people.index",
        "people.new",
        "people.import_csv",
        "people.departments",
        "people.edit_department",
        "people.deactivate",
        "people.reactivate",
        "people.update_account",
        "people.password_link",
        "jobs.manage",
        "jobs.new",
        "jobs.edit",
        "jobs.open",
        "jobs.close",
        "program.edit_rules",
        "referrals.queue",
        "referrals.advance",
        "referrals.left_company",
        "payouts.index",
        "payouts.export",
        "payouts.approve",
        "payouts.pay",
        "payouts.cancel",
        "payouts.bulk",
        "thanks.announce",
        "thanks.hide",
        "thanks.confirm_hide",  # the no-JavaScript confirm step of hiding
        "perks.manage",
        "perks.new",
        "perks.edit",
        "perks.activate",
        "perks.deactivate",
        "perks.redemptions",
        "perks.approve",
        "perks.reject",
        "badges.levels",
        "badges.gold_thresholds",
        "people.grant_badge",
        "people.adjust_points",
        "club.appoint",
        "club.remove",
        "club.moderator",
        "challenges.approvals",
        "challenges.approve",
        "challenges.disqualify",
        "challenges.reinstate",
    }
)

# Pages about a colleague that any logged-in person may open by id (a staff directory): the
# id-guessing test expects them to answer. Deactivated people are 404 except for HR, and the
# ranks of people off the public boards are shown only to themselves and HR.
# Reacting to a colleague's thanks post is the point of `thanks.react`, so it is here too; its
# refusals (one's own post 403, a hidden one 404, an unknown reaction 400) are tested in
# tests/thanks/test_cards_and_reactions.py.
COLLEAGUE_PAGES = frozenset({"people.profile", "thanks.react"})

# One referral: its referrer, HR and its job's hiring manager (who reads it and adds interview
# feedback, nothing more: withdrawing is a 403 for them); anyone else gets the same 404 as for a
# missing referral.
REFERRAL_SCOPED = frozenset(
    {
        "referrals.detail",
        "referrals.resume",
        "referrals.withdraw",
        "referrals.interview_feedback",
    }
)

# People who can be named a job's hiring manager (managers and HR) see the referrals to the jobs
# they hire for, never others; an employee gets 403.
HIRING = frozenset({"referrals.hiring"})

# Hosting a challenge: managers and HR (an employee gets 403). One challenge's pages are for its
# host and HR; to anyone else they answer the same 404 as a missing challenge. Tested route by
# route and role by role in tests/challenges/test_manage_permissions.py.
CHALLENGE_HOSTING = frozenset(
    {
        "challenges.new",
        "challenges.edit",
        "challenges.add_prize",
        "challenges.remove_prize",
        "challenges.submit",
        "challenges.cancel",
        "challenges.extend",
        "challenges.host",
    }
)

ALL = PUBLIC | ANY_USER | HR_ONLY | REFERRAL_SCOPED | HIRING | CHALLENGE_HOSTING
