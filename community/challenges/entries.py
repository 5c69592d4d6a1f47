"""A person's entry in a challenge: saying "count me in", and HR disqualifying them (with a
reason, logged, their multiplier bonus taken back) or putting them back, until the final."""

from __future__ import annotations

from flask_babel import gettext as _

from community import events
from community.accounts.models import User
from community.challenges import credits
from community.challenges.models import ChallengeEntrant, ChallengeStatus, ChangeKind
from community.challenges.rules import ChallengeError
from community.challenges.scope import is_person_in_scope
from community.challenges.services import _locked, _reason, log
from community.core.errors import CONFLICT, FORBIDDEN, NOT_FOUND
from community.core.permissions import is_hr
from community.core.time import utcnow
from community.core.transaction import after_commit, committed
from community.extensions import db
from community.leaderboards.visibility import refresh_visibility


def join_challenge(user: User, challenge_id: int) -> ChallengeEntrant:
    """Say "count me in": the person shows among the participants before their first credit."""
    with committed():
        challenge = _locked(challenge_id)
        if challenge.status not in (ChallengeStatus.SCHEDULED, ChallengeStatus.LIVE):
            raise ChallengeError(_("This challenge is not open to join."), status=CONFLICT)
        if not is_person_in_scope(challenge, user, user.department_id):
            raise ChallengeError(
                _("This challenge is for other people: you are not in its scope."),
                status=FORBIDDEN,
            )
        entrant = credits.entrant_for(challenge, user.id, user.department_id)
        entrant.joined_at = entrant.joined_at or utcnow()
    return entrant


def set_disqualified(
    actor: User, challenge_id: int, user_id: int, disqualified: bool, reason: str | None = None
) -> ChallengeEntrant:
    """HR takes a person out of a challenge's standings with a reason (their multiplier bonus
    goes back), or puts them back; logged, and possible until the challenge is final."""
    with committed():
        if not is_hr(actor):
            raise ChallengeError(_("Only HR can disqualify."), status=FORBIDDEN)
        challenge = _locked(challenge_id)
        if challenge.status in (ChallengeStatus.FINAL, ChallengeStatus.CANCELLED):
            raise ChallengeError(
                _("The standings of a final or cancelled challenge cannot change."),
                status=CONFLICT,
            )
        person = db.session.get(User, user_id)
        if person is None:
            raise ChallengeError(_("There is no such person."), status=NOT_FOUND)
        entrant = credits.entrant_for(challenge, person.id, person.department_id)
        if disqualified:
            if entrant.disqualified_at is not None:
                raise ChallengeError(_("This person is already disqualified."), status=CONFLICT)
            text = _reason(reason)
            entrant.disqualified_at, entrant.disqualified_by_id = utcnow(), actor.id
            entrant.disqualify_reason = text
            log(challenge, ChangeKind.DISQUALIFIED, actor, user_id=person.id, reason=text)
        else:
            if entrant.disqualified_at is None:
                raise ChallengeError(_("This person is not disqualified."), status=CONFLICT)
            entrant.disqualified_at = entrant.disqualified_by_id = None
            entrant.disqualify_reason = None
            log(challenge, ChangeKind.REINSTATED, actor, user_id=person.id)
        db.session.flush()
        credits.reconcile_bonus(challenge, entrant)
        events.publish(
            events.ChallengeEntryChanged(
                challenge_id=challenge.id,
                title=challenge.title,
                title_en=challenge.title_en,
                user_id=person.id,
                disqualified=disqualified,
                reason=entrant.disqualify_reason,
                at=utcnow(),
            )
        )
        scope, member = challenge.scope, person.id
        after_commit(
            f"challenges:aside:{challenge.id}:{member}",
            lambda: refresh_visibility(member, scope),
        )
    return entrant
