"""Team chat's words for HR's page, in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _

from community.teamchat.models import ChatRobot, DeliveryStatus, PostKind


def delivery_status_label(status: DeliveryStatus | str) -> str:
    labels = {
        DeliveryStatus.QUEUED: _("Waiting"),
        DeliveryStatus.SENT: _("Sent"),
        DeliveryStatus.FAILED: _("Failed"),
        DeliveryStatus.DROPPED: _("Dropped"),
    }
    return labels.get(DeliveryStatus(status), str(status))


def kind_label(kind: PostKind | str) -> str:
    labels = {
        PostKind.ANNOUNCEMENT: _("Announcement"),
        PostKind.CHALLENGE: _("Challenge results"),
        PostKind.THANKS: _("Thanks post"),
        PostKind.TEST: _("Test message"),
    }
    return labels.get(PostKind(kind), str(kind))


def robot_kinds(robot: ChatRobot) -> list[str]:
    """What a robot posts, as HR's page lists it."""
    wanted = (
        (robot.sends_announcements, _("Announcements")),
        (robot.sends_challenges, _("Challenge results")),
        (robot.sends_thanks, _("Thanks posts")),
    )
    return [label for on, label in wanted if on]
