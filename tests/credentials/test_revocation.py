"""HR revokes a badge: it leaves the person's pages, they are told why, its points stay, and
every credential exported for it reads as revoked (the revocation list, the verification page
and the verify form). Only HR revokes, with a reason, once."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import User
from community.badges import queries, services
from community.badges.models import UserBadge
from community.credentials import services as credential_services
from community.credentials.models import IssuedCredential
from community.extensions import db
from community.notifications.models import Notification
from community.points import queries as points_queries
from community.referrals.models import Stage
from tests.badges.conftest import referral_by
from tests.pipeline import walk_to


def exported(client, auth, earner: User, award: UserBadge) -> IssuedCredential:
    auth.login(earner)
    client.post(f"/credentials/badges/{award.id}/export", data={"language": "en"})
    auth.logout()
    return db.session.scalars(select(IssuedCredential)).one()


def revoke(client, person: User, award: UserBadge, reason: str = "Granted by mistake"):
    return client.post(f"/people/{person.id}/badges/{award.id}/revoke", data={"reason": reason})


def test_hr_revokes_and_every_page_and_list_says_so(client, auth, hr, earner, award) -> None:
    issued = exported(client, auth, earner, award)
    assert (
        client.get(
            f"/credentials/{issued.token}", headers={"Accept": "application/json"}
        ).get_json()["status"]
        == "valid"
    )
    assert client.get("/credentials/revocations").get_json()["revokedCredentials"] == []
    auth.login(hr)
    response = revoke(client, earner, award)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(UserBadge, award.id).revoked_by_id == hr.id
    assert queries.badges_of(earner) == []
    listed = client.get("/credentials/revocations").get_json()["revokedCredentials"]
    assert [item["id"] for item in listed] == [f"http://127.0.0.1:5000/credentials/{issued.token}"]
    auth.logout()
    status = client.get(f"/credentials/{issued.token}", headers={"Accept": "application/json"})
    assert status.get_json()["status"] == "revoked" and status.get_json()["revokedAt"]
    page = client.get(f"/credentials/{issued.token}").get_data(as_text=True)
    assert 'data-status="revoked"' in page and "Granted by mistake" not in page
    result = credential_services.verify_jwt(db.session.get(IssuedCredential, issued.id).jwt)
    assert not result.valid and "revoked" in (result.problem or "")


def test_the_badge_leaves_the_profile_and_gallery_and_the_person_is_told(
    client, auth, hr, earner, award
) -> None:
    services.revoke_badge(hr, award, "Granted by mistake")
    auth.login(earner)
    profile = client.get(f"/people/{earner.id}/profile").get_data(as_text=True)
    assert 'data-testid="profile-badge"' not in profile
    gallery = client.get("/badges/").get_data(as_text=True)
    assert 'data-testid="badge-earned"' not in gallery
    note = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == earner.id)
        .order_by(Notification.id.desc())
    ).first()
    assert note is not None and note.kind == "badge_revoked"
    inbox = client.get("/notifications/").get_data(as_text=True)
    assert "HR revoked your badge First hire: Granted by mistake" in inbox


def test_the_points_a_badge_gave_stay(hr) -> None:
    referrer = referral_by_hire(hr)
    award = next(a for a in queries.badges_of(referrer) if a.badge_key == "first_hire")
    before = points_queries.score(referrer)
    services.revoke_badge(hr, award, "The hire was a duplicate")
    assert points_queries.score(referrer) == before


def referral_by_hire(hr: User) -> User:
    from tests.factories import make_user

    referrer = make_user()
    walk_to(referral_by(referrer), Stage.HIRED, hr)
    return referrer


def test_a_revoked_badge_is_not_earned_again_nor_granted(hr, earner, award) -> None:
    services.revoke_badge(hr, award, "Granted by mistake")
    walk_to(referral_by(earner), Stage.HIRED, hr)  # would earn "first hire" by the rule
    assert "first_hire" not in {a.badge_key for a in queries.badges_of(earner)}
    try:
        services.grant_badge(hr, earner, "first_hire", "Again")
    except services.BadgesError as exc:
        assert "was revoked" in exc.message
    else:
        raise AssertionError("granted a revoked badge again")


def test_only_hr_revokes(client, auth, earner, award, stranger) -> None:
    for someone in (earner, stranger):
        auth.login(someone)
        assert revoke(client, earner, award).status_code == 403
        auth.logout()
    db.session.expire_all()
    assert db.session.get(UserBadge, award.id).revoked_at is None


def test_a_reason_is_needed_and_nothing_is_written_without_one(
    client, auth, hr, earner, award
) -> None:
    auth.login(hr)
    response = revoke(client, earner, award, reason="   ")
    assert response.status_code == 422
    assert "Please give a reason for revoking the badge." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(UserBadge, award.id).revoked_at is None


def test_revoking_twice_says_so(client, auth, hr, earner, award) -> None:
    auth.login(hr)
    assert revoke(client, earner, award).status_code == 302
    response = revoke(client, earner, award)
    assert response.status_code == 422
    assert "already revoked" in response.get_data(as_text=True)


def test_an_award_of_someone_else_under_a_persons_url_is_404(
    client, auth, hr, earner, award, stranger
) -> None:
    auth.login(hr)
    assert revoke(client, stranger, award).status_code == 404
    assert (
        client.post(f"/people/{earner.id}/badges/987654/revoke", data={"reason": "x"}).status_code
        == 404
    )


def test_the_verify_form(client, auth, earner, award, hr) -> None:
    issued = exported(client, auth, earner, award)
    page = client.post("/credentials/verify", data={"jwt": issued.jwt})
    assert page.status_code == 200 and 'data-valid="1"' in page.get_data(as_text=True)
    head, payload, signature = issued.jwt.split(".")
    forged = f"{head}.{payload[:-2]}AA.{signature}"
    refused = client.post("/credentials/verify", data={"jwt": forged})
    assert refused.status_code == 422 and "was changed" in refused.get_data(as_text=True)
    for garbage in ("", "not a jwt", "a.b.c", "x" * 70_000):
        answer = client.post("/credentials/verify", data={"jwt": garbage})
        assert answer.status_code == 422 and 'data-valid="0"' in answer.get_data(as_text=True)
    services.revoke_badge(hr, award, "Granted by mistake")
    revoked = client.post("/credentials/verify", data={"jwt": issued.jwt})
    assert revoked.status_code == 422 and "was revoked" in revoked.get_data(as_text=True)


def test_the_verify_form_is_rate_limited(app, client) -> None:
    app.config["CREDENTIALS_VERIFY_RATE_LIMIT"] = "2 per minute"
    try:
        answers = [
            client.post("/credentials/verify", data={"jwt": "x"}).status_code for _ in range(3)
        ]
    finally:
        app.config["CREDENTIALS_VERIFY_RATE_LIMIT"] = "30 per minute"
    assert answers == [422, 422, 429]
    assert client.get("/credentials/verify").status_code == 200  # reading the form is not limited
