"""HR's team chat pages: the robots with their last results and the latest messages, the robot
form, switching a robot on or off, a test message, removing a robot. HR only (403 for anyone
else). Thin: parse → service → redirect or render; a refusal goes beside its field."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.core.htmx import render
from community.core.permissions import hr_required
from community.teamchat import queries, services
from community.teamchat.forms import RobotForm
from community.teamchat.labels import delivery_status_label, kind_label, robot_kinds
from community.teamchat.models import ChatRobot, DeliveryStatus, Platform
from community.teamchat.platforms import (
    TeamChatError,
    example_url,
    masked,
    masked_url,
    platform_label,
)

bp = Blueprint("teamchat", __name__, url_prefix="/teamchat")


@bp.record_once
def _template_globals(state: Any) -> None:
    state.app.jinja_env.globals.update(
        teamchat_masked_url=masked_url, teamchat_platform=platform_label, robot_kinds=robot_kinds
    )


@bp.get("/")
@hr_required
def index() -> Response:
    return render(
        "teamchat/index.html",
        rows=queries.robot_rows(),
        deliveries=queries.recent_deliveries(),
        outbox=current_app.config.get("TEAMCHAT_OUTBOX") or "",
        status_label=delivery_status_label,
        kind_label=kind_label,
        DeliveryStatus=DeliveryStatus,
    )


def _form_page(form: RobotForm, robot: ChatRobot | None, status: int = 200) -> Response:
    return render(
        "teamchat/form.html",
        status=status,
        form=form,
        robot=robot,
        masked_secret=masked(robot.secret) if robot else "",
        examples={platform.value: example_url(platform) for platform in Platform},
    )


def _refused(form: RobotForm, refusal: TeamChatError) -> None:
    if refusal.field and refusal.field in form:
        form[refusal.field].errors = [*form[refusal.field].errors, refusal.message]
    else:
        flash(refusal.message, "danger")


@bp.route("/robots/new", methods=["GET", "POST"])
@hr_required
def new() -> Response:
    if request.method == "GET":
        return _form_page(RobotForm(formdata=None), None)
    form = RobotForm()
    try:
        robot = services.add_robot(current_user, form.fields())
    except TeamChatError as refusal:
        _refused(form, refusal)
        return _form_page(form, None, status=refusal.status)
    flash(
        _("Robot %(name)s is set up. Send it a test message to check it.", name=robot.name),
        "success",
    )
    return redirect(url_for("teamchat.index"), 303)


@bp.route("/robots/<int:robot_id>/edit", methods=["GET", "POST"])
@hr_required
def edit(robot_id: int) -> Response:
    robot = queries.get_robot(robot_id)
    if request.method == "GET":
        return _form_page(RobotForm(formdata=None).fill_from(robot), robot)
    form = RobotForm()
    try:
        services.update_robot(current_user, robot.id, form.fields())
    except TeamChatError as refusal:
        _refused(form, refusal)
        return _form_page(form, queries.get_robot(robot_id), status=refusal.status)
    flash(_("Robot %(name)s saved.", name=form.name.data), "success")
    return redirect(url_for("teamchat.index"), 303)


@bp.post("/robots/<int:robot_id>/switch")
@hr_required
def switch(robot_id: int) -> Response:
    robot = queries.get_robot(robot_id)
    on = request.form.get("on") == "1"
    services.switch_robot(current_user, robot.id, on)
    if on:
        flash(_("Robot %(name)s is on.", name=robot.name), "success")
    else:
        flash(
            _("Robot %(name)s is off. Messages waiting for it were dropped.", name=robot.name),
            "success",
        )
    return redirect(url_for("teamchat.index"), 303)


@bp.post("/robots/<int:robot_id>/test")
@hr_required
def test(robot_id: int) -> Response:
    robot = queries.get_robot(robot_id)
    delivery = services.send_test(current_user, robot.id)
    if delivery.status == DeliveryStatus.SENT:
        flash(_("Test message sent to %(name)s.", name=robot.name), "success")
    else:
        flash(
            _(
                "The test message to %(name)s failed: %(error)s",
                name=robot.name,
                error=delivery.last_error or "",
            ),
            "danger",
        )
    return redirect(url_for("teamchat.index"), 303)


@bp.post("/robots/<int:robot_id>/remove")
@hr_required
def remove(robot_id: int) -> Response:
    robot = queries.get_robot(robot_id)
    name = robot.name
    services.remove_robot(current_user, robot.id)
    flash(_("Robot %(name)s removed.", name=name), "success")
    return redirect(url_for("teamchat.index"), 303)
