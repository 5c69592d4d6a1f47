"""The words of moderation: why someone flags a post, and what a moderator did (the log's
`action`), each with its label in the reader's language. The codes are stored; the labels are
not, so a page reads in whoever opens it's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Why a post is flagged. "other" needs a note saying what is wrong.
SPAM, ABUSE, OFF_TOPIC, PRIVATE_DATA, OTHER = "spam", "abuse", "off_topic", "private_data", "other"
REASONS = {
    SPAM: _l("Spam or advertising"),
    ABUSE: _l("Abuse or harassment"),
    OFF_TOPIC: _l("Off-topic"),
    PRIVATE_DATA: _l("Shares a candidate's private data"),
    OTHER: _l("Something else (say what)"),
}

# What moderators did (forum_moderation_log.action). The forum writes the log too (pin, lock,
# delete, edit…): its actions are labelled here, and any other is shown as stored, so the log
# page lists the whole table whoever wrote it.
DISMISS, HIDE, AUTO_HIDE, RESTORE = "dismiss_flags", "hide_post", "auto_hide", "unhide_post"
DELETE, DELETE_TOPIC = "delete_post", "delete_topic"  # the forum's own words for a deletion
ACTIONS = {
    DISMISS: _l("Dismissed the flags"),
    HIDE: _l("Hid a post"),
    AUTO_HIDE: _l("Hidden by colleagues' flags"),
    RESTORE: _l("Showed a hidden post again"),
    DELETE: _l("Deleted a post"),
    DELETE_TOPIC: _l("Deleted a topic"),
    "restore_post": _l("Restored a deleted post"),
    "restore_topic": _l("Restored a deleted topic"),
    "edit_post": _l("Edited someone's post"),
    "pin": _l("Pinned a topic"),
    "unpin": _l("Unpinned a topic"),
    "lock": _l("Locked a topic"),
    "unlock": _l("Unlocked a topic"),
    "move": _l("Moved a topic"),
    "accept": _l("Accepted an answer"),
    "unaccept": _l("Took back an accepted answer"),
}

# How a flag was closed (forum_flags.outcome).
OUTCOMES = {DISMISS: "dismissed", HIDE: "hidden", DELETE: "deleted", RESTORE: "restored"}


def reason_label(code: str) -> str:
    return str(REASONS.get(code, code))


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))
