"""Replies and every change to a post: edit (the text before is kept as a revision), delete and
restore (soft: the thread shows a placeholder), and the text a "quote" puts in the reply box.

A topic's `reply_count` and `last_post_at` follow its visible replies, so that the lists read
them without counting."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from community import events
from community.accounts.models import User
from community.core.errors import CONFLICT, FORBIDDEN
from community.core.transaction import committed
from community.extensions import db
from community.forum import common, mentions, permissions, watching
from community.forum.common import ForumError
from community.forum.models import ForumPost, ForumPostRevision, ForumTopic
from community.forum.topics import log


def recount(topic: ForumTopic) -> None:
    """Set the topic's reply count and last activity from its visible replies."""
    visible = (ForumPost.topic_id == topic.id, ForumPost.deleted_at.is_(None),
               ForumPost.hidden_at.is_(None))  # fmt: skip
    count, last = db.session.execute(
        select(func.count(ForumPost.id), func.max(ForumPost.created_at)).where(
            *visible, ForumPost.number > 1
        )
    ).one()
    topic.reply_count = int(count or 0)
    topic.last_post_at = last or topic.created_at


def reply(author: User, topic_id: int, body: str | None) -> ForumPost:
    """Write a reply at the end of the topic; its watchers and the people it mentions hear."""
    with committed():
        topic = common.topic_for(author, topic_id, lock=True)
        if not permissions.can_reply(author, topic):
            raise ForumError(_("This topic is locked: it takes no more replies."), status=CONFLICT)
        text = common.check_body(body)
        mentioned = mentions.resolve(text, author_id=author.id)
        at = common.now()
        number = (
            db.session.scalar(
                select(func.max(ForumPost.number)).where(ForumPost.topic_id == topic.id)
            )
            or 0
        ) + 1
        post = ForumPost(topic_id=topic.id, author_id=author.id, number=number, body=text,
                         created_at=at)  # fmt: skip
        db.session.add(post)
        db.session.flush()
        topic.reply_count += 1
        topic.last_post_at = at
        watching.mark_read(author.id, topic.id, number)
        common.publish_changed(topic.id, [post.id], "created", at)
        events.publish(
            events.ForumPostWritten(
                topic_id=topic.id,
                post_id=post.id,
                author_id=author.id,
                number=number,
                mentioned_ids=tuple(p.id for p in mentioned),
                edited=False,
                at=at,
            )
        )
    return post


def edit(editor: User, post_id: int, body: str | None, title: str | None = None) -> ForumPost:
    """Change a post's text (and, for an opening post, the topic's title). The text before is
    kept as a revision; the post is marked edited. Only people newly mentioned are told."""
    with committed():
        post = common.post_for(editor, post_id, lock=True)
        if not permissions.can_edit_post(editor, post):
            raise ForumError(_("You cannot edit this post."), status=FORBIDDEN)
        topic = post.topic
        text = common.check_body(body)
        new_title = common.check_title(title) if post.number == 1 and title is not None else None
        title_changed = new_title is not None and new_title != topic.title
        if text == post.body and not title_changed:
            return post
        try:
            before = {p.id for p in mentions.resolve(post.body, author_id=post.author_id)}
        except ForumError:  # someone mentioned then has left: they are not news now either
            before = set()
        mentioned = mentions.resolve(text, author_id=post.author_id)
        at = common.now()
        db.session.add(
            ForumPostRevision(
                post_id=post.id,
                body=post.body,
                title=topic.title if title_changed else None,
                editor_id=editor.id,
                created_at=at,
            )
        )
        post.body, post.edited_at, post.edit_count = text, at, post.edit_count + 1
        if title_changed:
            topic.title = new_title
        if editor.id != post.author_id:
            log(editor, "edit_post", topic.id, post.id)
        db.session.flush()
        if title_changed:
            common.publish_changed(topic.id, common.all_post_ids(topic.id), "topic", at)
        else:
            common.publish_changed(topic.id, [post.id], "edited", at)
        new = tuple(p.id for p in mentioned if p.id not in before)
        if new:
            events.publish(
                events.ForumPostWritten(
                    topic_id=topic.id,
                    post_id=post.id,
                    author_id=post.author_id,
                    number=post.number,
                    mentioned_ids=new,
                    edited=True,
                    at=at,
                )
            )
    return post


def delete(actor: User, post_id: int, reason: str | None = None) -> ForumPost:
    """The author or a moderator deletes a reply: the thread keeps its place with a "deleted"
    placeholder. Deleting the opening post deletes the topic (`topics.delete`)."""
    with committed():
        post = common.post_for(actor, post_id, lock=True)
        if not permissions.can_delete_post(actor, post):
            if post.deleted_at is not None:
                raise ForumError(_("This post is already deleted."), status=CONFLICT)
            raise ForumError(_("You can only delete your own posts."), status=FORBIDDEN)
        if post.number == 1:
            raise ForumError(_("Delete the topic instead."), status=CONFLICT)
        reason = common.check_reason(reason)
        at = common.now()
        post.deleted_at, post.deleted_by_id = at, actor.id
        if actor.id != post.author_id:
            log(actor, "delete_post", post.topic_id, post.id, reason)
        topic = post.topic
        if topic.accepted_post_id == post.id:
            topic.accepted_post_id = None  # the question is open again; points stay paid
        db.session.flush()
        recount(topic)
        common.publish_changed(topic.id, [post.id], "deleted", at)
    return post


def restore(actor: User, post_id: int) -> ForumPost:
    """A moderator, or an author who deleted their own post, brings it back."""
    with committed():
        post = common.post_for(actor, post_id, lock=True)
        if not permissions.can_restore_post(actor, post):
            if post.deleted_at is None:
                raise ForumError(_("This post is not deleted."), status=CONFLICT)
            raise ForumError(_("Only a moderator can restore this post."), status=FORBIDDEN)
        post.deleted_at = post.deleted_by_id = None
        if actor.id != post.author_id:
            log(actor, "restore_post", post.topic_id, post.id)
        db.session.flush()
        recount(post.topic)
        common.publish_changed(post.topic_id, [post.id], "restored", common.now())
    return post


def quote_text(reader: User, post_id: int | None) -> str:
    """What a "quote" puts in the reply box: `> @name wrote:` and the post's text, quoted.
    Nothing for a post the reader may not see (or whose text is removed)."""
    if not post_id:
        return ""
    post = db.session.get(ForumPost, post_id)
    if post is None or not permissions.can_read_topic(reader, post.topic) or not post.visible:
        return ""
    lines = [f"@{post.author.shown_name} wrote:", *post.body.splitlines()]
    return "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n"
