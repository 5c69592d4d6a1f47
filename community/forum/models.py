"""The referrer club's forum (内推人论坛): categories, topics, posts, their edit history, helpful
votes, flags, the moderation log, unread marks and watches.

A topic's opening post is its post number 1; replies follow in order (`number` never reused, so a
deep link to a post number stays valid after a deletion). Deleting and hiding are soft: the row
stays and the thread shows a placeholder, so quotes and numbering keep their sense, and a
moderator can restore. Text is Markdown, rendered by `community.core.markup` when shown.

Other rooms build on these tables (search reads `ForumPostsChanged`; moderation adds flags'
review and the log's page): column names here are a contract.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.enums import enum_column
from community.core.time import utcnow
from community.extensions import db


class CategoryKind(enum.StrEnum):
    DISCUSSION = "discussion"
    QUESTIONS = "questions"  # topics started here are questions by default


class TopicKind(enum.StrEnum):
    DISCUSSION = "discussion"
    QUESTION = "question"  # can have one accepted answer


class WatchLevel(enum.StrEnum):
    WATCHING = "watching"  # hear of every new reply (topic) or new topic (category)
    MUTED = "muted"  # hear nothing, not even as the topic's author


class ForumCategory(db.Model):
    """A category HR sets up. `name` is the base (Chinese) wording, `name_en` the English (None:
    show `name`). Ordered by `position`; an archived category keeps its topics readable but takes
    no new ones."""

    __tablename__ = "forum_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str | None] = mapped_column(String(80))
    description: Mapped[str | None] = mapped_column(String(500))
    description_en: Mapped[str | None] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[CategoryKind] = mapped_column(
        enum_column(CategoryKind), default=CategoryKind.DISCUSSION
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class ForumTopic(db.Model):
    """A thread. `reply_count` and `last_post_at` are kept by the services (they count visible
    replies, not the opening post) so the index needs no aggregate. `origin` names a topic the
    app opened itself (e.g. "sharing-session:12") so it is opened once."""

    __tablename__ = "forum_topics"
    __table_args__ = (Index("ix_forum_topics_category_last", "category_id", "last_post_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("forum_categories.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[TopicKind] = mapped_column(enum_column(TopicKind), default=TopicKind.DISCUSSION)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"))
    # No foreign key: posts point at topics, and a cycle would need use_alter on every engine.
    accepted_post_id: Mapped[int | None]
    pinned_at: Mapped[datetime | None]
    locked_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)
    reply_count: Mapped[int] = mapped_column(default=0)
    origin: Mapped[str | None] = mapped_column(String(80), unique=True)
    answer_reminded_at: Mapped[datetime | None]

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    category: Mapped[ForumCategory] = relationship()

    @property
    def visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


class ForumPost(db.Model):
    """One post of a topic; number 1 is the opening post."""

    __tablename__ = "forum_posts"
    __table_args__ = (UniqueConstraint("topic_id", "number", name="uq_forum_posts_topic_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topics.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    number: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]
    edit_count: Mapped[int] = mapped_column(default=0)
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_reason: Mapped[str | None] = mapped_column(String(300))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    topic: Mapped[ForumTopic] = relationship()

    @property
    def visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


class ForumPostRevision(db.Model):
    """The text a post had BEFORE an edit (and the topic's title then, for an opening post whose
    title changed). The current text is on the post itself."""

    __tablename__ = "forum_post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(200))
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[User] = relationship()


class ForumVote(db.Model):
    """A "helpful" vote: one per person per post."""

    __tablename__ = "forum_votes"

    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id"), primary_key=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ForumFlag(db.Model):
    """Someone flags a post for moderators: one flag per person per post."""

    __tablename__ = "forum_flags"
    __table_args__ = (
        UniqueConstraint("post_id", "flagger_id", name="uq_forum_flags_post_flagger"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id"), index=True)
    flagger_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason_code: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(40))


class ForumModerationLog(db.Model):
    """One moderator's (or HR's, or the system's: actor None) act: pin, lock, delete, hide..."""

    __tablename__ = "forum_moderation_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("forum_topics.id"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("forum_posts.id"))
    reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()


class ForumTopicRead(db.Model):
    """How far a person has read a topic: the highest post number they have seen."""

    __tablename__ = "forum_topic_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topics.id"), primary_key=True)
    last_read_number: Mapped[int] = mapped_column(default=0)


class ForumWatch(db.Model):
    """A person watches (or mutes) one topic or one category: exactly one of the two is set."""

    __tablename__ = "forum_watches"
    __table_args__ = (
        UniqueConstraint("user_id", "topic_id", name="uq_forum_watches_user_topic"),
        UniqueConstraint("user_id", "category_id", name="uq_forum_watches_user_category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("forum_topics.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("forum_categories.id"), index=True)
    level: Mapped[WatchLevel] = mapped_column(enum_column(WatchLevel))
