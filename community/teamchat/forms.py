"""HR's robot form. It only parses; `services` checks the values and names the field of a
refusal. The webhook address and the secret are never written back into the form: on a change,
empty keeps what is stored."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField

from community.accounts.queries import departments
from community.core.localized import localized
from community.teamchat.models import ChatRobot, Platform
from community.teamchat.platforms import MAX_SECRET, MAX_URL, platform_label
from community.teamchat.services import MAX_NAME, RobotFields

WHOLE_COMPANY = ""
UNKNOWN_DEPARTMENT = -1  # a value that names no department: the service refuses it


def _department_choices() -> list[SelectChoice]:
    return [SelectChoice(WHOLE_COMPANY, str(_l("Whole company")))] + [
        SelectChoice(str(department.id), localized(department, "name").text)
        for department in departments()
    ]


class RobotForm(FlaskForm):
    name = StringField(
        _l("Robot name"),
        render_kw={"maxlength": MAX_NAME},
        description=_l("The group it posts to, e.g. “Engineering referrals”."),
    )
    platform = SelectField(
        _l("Platform"),
        choices=lambda: [SelectChoice(p.value, platform_label(p)) for p in Platform],
        validate_choice=False,
    )
    department_id = SelectField(
        _l("Department"),
        choices=_department_choices,
        validate_choice=False,
        description=_l(
            "Thanks and challenge results reach the groups of the departments they concern; the whole company's group gets them all."
        ),
    )
    webhook_url = StringField(
        _l("Webhook address"),
        render_kw={
            "maxlength": MAX_URL,
            "inputmode": "url",
            "autocomplete": "off",
            "placeholder": "https://",
        },
    )
    secret = PasswordField(
        _l("Signing secret"),
        render_kw={"maxlength": MAX_SECRET, "autocomplete": "new-password"},
        description=_l(
            "DingTalk: the secret of “Sign” (加签), starting with SEC. Feishu: the secret of “Signature verification” (签名校验). WeCom robots do not sign: leave it empty."
        ),
    )
    sends_announcements = BooleanField(_l("Announcements"), default=True)
    sends_challenges = BooleanField(_l("Challenge results"), default=True)
    sends_thanks = BooleanField(_l("Thanks posts"), default=True)
    enabled = BooleanField(_l("On: post to this group"), default=True)

    def fill_from(self, robot: ChatRobot) -> RobotForm:
        self.name.data = robot.name
        self.platform.data = robot.platform.value
        self.department_id.data = str(robot.department_id or WHOLE_COMPANY)
        for name in ("sends_announcements", "sends_challenges", "sends_thanks", "enabled"):
            getattr(self, name).data = getattr(robot, name)
        return self

    def department(self) -> int | None:
        value = (self.department_id.data or "").strip()
        if value == WHOLE_COMPANY:
            return None
        small = value.isascii() and value.isdigit() and len(value) <= 9  # (an int column's range)
        return int(value) if small else UNKNOWN_DEPARTMENT

    def fields(self) -> RobotFields:
        return RobotFields(
            name=self.name.data or "",
            platform=self.platform.data or "",
            department_id=self.department(),
            webhook_url=self.webhook_url.data or "",
            secret=self.secret.data or "",
            sends_announcements=bool(self.sends_announcements.data),
            sends_challenges=bool(self.sends_challenges.data),
            sends_thanks=bool(self.sends_thanks.data),
            enabled=bool(self.enabled.data),
        )
