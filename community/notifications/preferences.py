"""Reading how people want to hear about each category (`categories`): one person's choices,
many people's at once, and the same as SQL conditions for deliveries to many (an INSERT …
SELECT or a mailing to everyone). A person with no row for a category has its default.
Writes are in `services` (`set_delivery`, `save_preferences`)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, exists, not_, select

from community.extensions import db
from community.notifications.categories import DEFAULTS, Category, Delivery
from community.notifications.models import NotificationPreference


def choices_for(user_id: int) -> dict[Category, Delivery]:
    """The person's choice for every category (defaults where they chose nothing)."""
    return choices_of([user_id])[user_id]


def choices_of(user_ids: Iterable[int]) -> dict[int, dict[Category, Delivery]]:
    """Every category's choice of each of these people, in one query."""
    ids = list(dict.fromkeys(user_ids))
    found: dict[int, dict[Category, Delivery]] = {user_id: dict(DEFAULTS) for user_id in ids}
    if not ids:
        return found
    rows = db.session.execute(
        select(
            NotificationPreference.user_id,
            NotificationPreference.category,
            NotificationPreference.delivery,
        ).where(NotificationPreference.user_id.in_(ids))
    )
    for user_id, category, delivery in rows:
        found[user_id][Category(category)] = Delivery(delivery)
    return found


def chooses(
    user_id: ColumnElement[int], category: Category, deliveries: Iterable[Delivery]
) -> ColumnElement[bool]:
    """SQL: the person `user_id` hears of `category` in one of `deliveries` (their row says so,
    or they have none and the default is one of them)."""
    wanted = set(deliveries)
    mine = and_(
        NotificationPreference.user_id == user_id, NotificationPreference.category == category
    )
    if DEFAULTS[category] in wanted:
        unwanted = set(Delivery) - wanted
        return not_(exists().where(mine, NotificationPreference.delivery.in_(unwanted)))
    return exists().where(mine, NotificationPreference.delivery.in_(wanted))


def hears_of(user_id: ColumnElement[int], category: Category) -> ColumnElement[bool]:
    """SQL: the person has not turned `category` off."""
    return chooses(user_id, category, set(Delivery) - {Delivery.OFF})
