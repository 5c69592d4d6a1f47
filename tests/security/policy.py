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
        "sharing.feed",  # a person's calendar feed: its long random token is the key (calendar apps cannot log in)
        # An invited candidate has no account: the invitation's signed token is the key (a forged
        # one is 404, a withdrawn or deleted one 410); accepting and declining carry CSRF like
        # every form. tests/invites/test_candidate_pages.py.
        "invites.invitation",
        "invites.seen",  # the page's own script marks it opened (CSRF header from the page)
        "invites.accept",
        "invites.decline",
        # Candidates have no account (community/links). The pages name the referrer by first
        # name only; a code that does not work is one 404 (misses rate limited per visitor);
        # applying is rate limited per visitor and per link, CSRF-protected, with a honeypot;
        # a duplicate candidate sees the same thank-you as a new one. tests/links/.
        "links.careers",  # the open jobs and a box for a referral code
        "links.code_page",  # a referrer's link for all their open jobs
        "links.job_page",  # a referrer's link for one job, and the application form
        "links.thanks",  # the same thank-you after every application, recorded or not
        "links.privacy",  # the privacy notice for candidates (links and invitations)
        # An e-mail's unsubscribe link: the signed token (SECRET_KEY, itsdangerous, it expires)
        # names the person and what to stop, and a mail client cannot sign in. The one-click POST
        # (RFC 8058) comes from the mail provider with no session, so it is the one view exempt
        # from CSRF; the undo keeps its CSRF token. Tested in tests/mail/test_unsubscribe.py.
        "mail.unsubscribe",
        "mail.one_click",
        "mail.resubscribe",
        # Open Badges credentials (community/credentials): a verifier has no account. The issuer
        # profile, its public keys and the revocation list hold nothing private; a credential's
        # page is found only by its random 32-character token and shows the earner's name only
        # if they chose so, never the revocation's reason. Checking a pasted credential is a
        # CSRF-protected, rate-limited form that reads only. tests/credentials/.
        "credentials.issuer",
        "credentials.issuer_key",
        "credentials.revocations",
        "credentials.verification",
        "credentials.verify",
        # An ATS posting a stage change (community/webhooks): no session, so no CSRF token; the
        # Standard Webhooks signature by one of the source's active secrets is the key (forged,
        # stale or replayed: 4xx JSON, nothing written), rate limited per source and address.
        # The second view exempt from CSRF. tests/webhooks/test_inbound.py.
        "webhooks.ats",
    }
    | frozenset(
        {
            # The JSON API for HR integrations (community/api): a program calls it with a bearer
            # token HR made, never a session (the session cookie is not even opened under
            # /api/v1), so it skips the login check and answers 401 JSON without a live token and
            # 403 without the scope. Its blueprint is exempt from CSRF: a cross-site form cannot
            # add an Authorization header, and no cookie authenticates. The description is public
            # (it names no data). tests/api/, and the id test in tests/security/test_attacks.py.
            "api_v1.openapi_document",
            "api_v1.jobs",
            "api_v1.job",
            "api_v1.referrals",
            "api_v1.referral",
            "api_v1.move_stage",
            "api_v1.payouts",
            "api_v1.people",
        }
    )
)

# The API's endpoints (all in PUBLIC above): authenticated by bearer token, exempt from CSRF.
API_BEARER = frozenset(endpoint for endpoint in PUBLIC if endpoint.startswith("api_v1."))

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
        "notifications.preferences",  # the person's own choices: no id is read from the request
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
        "mentoring.index",  # open offers; one's own requests and pairings
        "mentoring.offer",  # one's own offer (or why one may not offer yet)
        "mentoring.save_offer",  # one's own offer; 403 for someone without experience
        "mentoring.offer_status",  # one's own offer
        "mentoring.ask",  # an open offer's card (anyone else: 404 as for nobody)
        "mentoring.send_request",  # asks for the person themself; newcomers only (403)
        "sharing.index",  # every session is open to everyone signed in
        "invites.mine",  # the person's own invitations (the only page showing their contacts)
        "invites.new",  # invites on the person's own behalf
        "invites.send",
        "invites.withdraw",  # the person's own invitation; anyone else's (HR's too): 404 as missing
        "sharing.my_calendar",  # the person's own feed address
        "sharing.reset_calendar",  # the person's own feed
        # One's own private network (人脉盘点): every page reads and writes the person's own
        # contacts only; a job's suggestions need an open job (a draft answers like none).
        "network.index",
        "network.new",
        "network.delete_all",  # the person's own, with a confirmation
        "network.import_file",  # a preview: writes nothing
        "network.import_confirm",  # a preview signed for this person only
        "network.export_csv",
        "network.export_vcard",
        "network.suggestions_page",
        "network.job_suggestions",
        "network.coach",  # a contact in it must be the person's own (else 404 as missing)
        # "My links": always the reader's own code and links (no id names anyone else's); a job
        # id names an open job only (anything else: 404). tests/links/test_pages.py.
        "links.mine",
        "links.qr",  # the QR code of one's own link
        "links.switch_my_code",  # one's own code; HR's switch-off only HR undoes (409)
        "links.renew_my_code",  # one's own code only; not while HR has it switched off (409)
        "links.switch_my_link",  # one's own link for an open job
        # Analytics: every signed-in person has the dashboard and its CSV files, cut to what
        # they may see (analytics.scope): HR the company, a manager their own department (asking
        # for another one is a 403 saying so), anyone else their own referrals. Quality by
        # referrer is HR's (403 to anyone else); a job filter naming a draft answers like an
        # unknown job (400). tests/analytics/test_pages_*.py, tests/security/analytics_cases.py.
        "analytics.dashboard",
        "analytics.export",
        # The club's forum: every colleague reads and asks. A deleted or hidden topic answers
        # 404 but for its author and moderators (forum.permissions.can_read_topic).
        "forum.index",
        "forum.category",
        "forum.topic",
        "forum.unread",
        "forum.post_link",
        "forum.new_topic",  # the author is the person themself
        "forum.watch_category",  # only the person's own watch; categories are everyone's
        # A colleague's post the person may read (never their own: 403; twice: 409; in someone
        # else's deleted topic: 404 like a missing one); tests/forum/moderation/test_routes.py.
        "forum_moderation.flag",
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
        "people.revoke_badge",  # with a reason the person is told; tests/credentials/
        "people.adjust_points",
        "club.appoint",
        "club.remove",
        "club.moderator",
        "challenges.approvals",
        "challenges.approve",
        "challenges.disqualify",
        "challenges.reinstate",
        "mentoring.hr",
        "mentoring.hr_pair",
        "forum.manage",
        "forum.new_category",
        "forum.edit_category",
        "forum.move_category",
        "forum.archive_category",
        # Team chat: the group robots (their webhook tokens and secrets) and their messages.
        "teamchat.index",
        "teamchat.new",
        "teamchat.edit",
        "teamchat.switch",
        "teamchat.test",
        "teamchat.remove",
        "links.hr",  # every referral code, to switch off a misused one
        "links.hr_switch_code",
        "links.hr_switch_link",
        "mail.outbox",  # every e-mail the app sends, to anyone: HR's alone
        "mail.message",
        "mail.retry",
        # Integrations (community/webhooks): ATS sources with their signing secrets, stage
        # mappings and links; outbound endpoints, their secrets and the delivery log.
        "webhooks.index",
        "webhooks.new_source",
        "webhooks.source",
        "webhooks.save_mapping",
        "webhooks.switch_source",
        "webhooks.new_source_secret",
        "webhooks.retire_secret",
        "webhooks.link_application",
        "webhooks.new_endpoint",
        "webhooks.endpoint",
        "webhooks.new_endpoint_secret",
        "webhooks.deliveries",
        "webhooks.delivery",
        "webhooks.replay",
        # API tokens (each acts as the HR officer who made it) and the API's docs.
        "api.tokens",
        "api.create_token",
        "api.revoke_token",
        "api.docs",
    }
)

# Pages about a colleague that any logged-in person may open by id (a staff directory): the
# id-guessing test expects them to answer. Deactivated people are 404 except for HR, and the
# ranks of people off the public boards are shown only to themselves and HR.
# Reacting to a colleague's thanks post is the point of `thanks.react`, so it is here too; its
# refusals (one's own post 403, a hidden one 404, an unknown reaction 400) are tested in
# tests/thanks/test_cards_and_reactions.py.
# A published sharing session is everyone's to read and answer (and its slides everyone's to
# download, signed in); checking in needs the session's signed code on top. Tested in
# tests/sharing/test_pages.py.
SHARING_SESSION = frozenset(
    {
        "sharing.detail",
        "sharing.rsvp",
        "sharing.cancel_rsvp",
        "sharing.invitation",
        "sharing.slides",
        "sharing.check_in_page",
        "sharing.check_in",
    }
)
# A forum category is everyone's to watch (a person's watch is their own row), so
# `forum.watch_category` answers for any category.
COLLEAGUE_PAGES = (
    frozenset({"people.profile", "thanks.react", "forum.watch_category"}) | SHARING_SESSION
)

# One referral: its referrer, HR and its job's hiring manager (who reads it and adds interview
# feedback, nothing more: withdrawing is a 403 for them); anyone else gets the same 404 as for a
# missing referral.
REFERRAL_SCOPED = frozenset(
    {
        "referrals.detail",
        "referrals.resume",
        "referrals.withdraw",
        "referrals.interview_feedback",
        # The referrer's own reason on a candidate who applied themselves: its referrer only (HR
        # and the hiring manager, who read the referral, get 403). tests/links/test_own_reason.py.
        "referrals.add_reason",
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

# One mentoring pairing: its mentor, its mentee and HR; anyone else — the mentee's manager too —
# gets the same 404 as for a missing pairing. What each of the three may do is tested in
# tests/mentoring/test_routes.py.
PAIRING_SCOPED = frozenset(
    {
        "mentoring.pairing",
        "mentoring.accept",
        "mentoring.decline",
        "mentoring.withdraw",
        "mentoring.goal",
        "mentoring.goal_reached",
        "mentoring.add_note",
        "mentoring.sharing",
        "mentoring.end",
    }
)

# One contact of a private network: its owner only. To anyone else, HR and the owner's manager
# included, it answers the same 404 as a missing contact. A referral's follow-up message: its
# referrer only (HR and the job's hiring manager, who read the referral, get the 404 too).
# Role by role in tests/network/test_privacy.py; by id guessing in tests/security/test_attacks.py.
NETWORK_PRIVATE = frozenset({"network.edit", "network.delete", "network.follow_up"})

# Hosting a sharing session: HR and club members (anyone else gets 403 on the new form). One
# session's host pages are for its host and HR; to anyone else they answer the same 404 as a
# missing session. Tested route by route and role by role in tests/sharing/test_permissions.py.
SHARING_HOSTING = frozenset(
    {
        "sharing.new",
        "sharing.edit",
        "sharing.cancel",
        "sharing.upload_slides",
        "sharing.remove_slides",
        "sharing.recording",
        "sharing.attendance_list",
        "sharing.check_in_code",
        "sharing.new_check_in_code",
        "sharing.mark",
    }
)

# The forum's acts on one post or topic: any signed-in person reaches them; what each may do
# there is forum.permissions' call: the author edits and deletes their own, the asker accepts an
# answer, moderators (the club's and HR) pin, lock, move, delete and restore; nobody votes for
# themself. Someone else's deleted topic and its posts answer like missing ones. Tested role by
# role (anonymous, employee, member, moderator, HR, the author, someone else) in
# tests/forum/test_pages.py and tests/security/forum_cases.py.
FORUM_SCOPED = frozenset(
    {
        "forum.reply",
        "forum.edit",
        "forum.history",
        "forum.delete_post",
        "forum.restore_post",
        "forum.vote",
        "forum.accept",
        "forum.unaccept",
        "forum.watch_topic",
        "forum.pin",
        "forum.lock",
        "forum.move",
        "forum.delete_topic",
        "forum.restore_topic",
    }
)

# Moderating the club's forum: its moderators (appointed by HR among the members) and HR; everyone
# else, club members included, gets 403. Role by role in tests/security/test_forum_moderation.py.
FORUM_MODERATORS = frozenset(
    {
        "forum_moderation.queue",
        "forum_moderation.dismiss",
        "forum_moderation.hide",
        "forum_moderation.delete",
        "forum_moderation.restore",
        "forum_moderation.log",
    }
)

# Exporting one's own badge as a credential and downloading it: the earner only. Anyone else,
# HR included, gets the same 404 as for a missing award or credential. tests/credentials/.
EARNER_ONLY = frozenset({"credentials.export", "credentials.download"})

ALL = (
    PUBLIC
    | ANY_USER
    | HR_ONLY
    | REFERRAL_SCOPED
    | HIRING
    | CHALLENGE_HOSTING
    | PAIRING_SCOPED
    | NETWORK_PRIVATE
    | SHARING_SESSION
    | SHARING_HOSTING
    | FORUM_SCOPED
    | FORUM_MODERATORS
    | EARNER_ONLY
)
