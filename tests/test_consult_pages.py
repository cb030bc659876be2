"""Consultations through HTTP: asking (bad input changes nothing), the thread both ways
with notifications, a matchmaker sees only their own, administrators read only, resolve,
the single rating (someone else's 404, twice 409, unresolved 409), and the access log a
member sees on My data."""

from __future__ import annotations

from sqlalchemy import func, select

from app.consult.models import Consultation, ConsultationMessage, ConsultationState
from app.extensions import db
from app.privacy.models import PersonalDataAccess
from tests.consult_helpers import english, notifications_of, sign_in, user_ids

__all__ = ["english"]

QUESTION = "第一次见面应该选在什么地方比较好？"


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def consultation(app, cid: int) -> Consultation:
    with app.app_context():
        row = db.session.get(Consultation, cid)
        db.session.expunge(row)
        return row


def ask(app, client, member: int, body: str = QUESTION) -> int:
    sign_in(app, client, member)
    response = client.post("/consultations/new", data={"topic": "first_date", "body": body})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_bad_requests_change_nothing(app, client):
    user_ids(app, "matchmaker", 1)
    (member,) = user_ids(app, "member", 1)
    sign_in(app, client, member)
    for data in (
        {"topic": "first_date", "body": "太短"},
        {"topic": "first_date", "body": "长" * 2001},
        {"topic": "astrology", "body": QUESTION},
        {"topic": "", "body": QUESTION},
    ):
        response = client.post("/consultations/new", data=data)
        assert response.status_code == 400
        assert "error-summary" in response.get_data(as_text=True)
    assert count(app, Consultation) == 0


def test_a_request_waits_without_a_matchmaker_and_says_so(app, client):
    (member,) = user_ids(app, "member", 1)
    cid = ask(app, client, member)
    page = client.get(f"/consultations/{cid}").get_data(as_text=True)
    assert "Waiting for a matchmaker" in page
    assert consultation(app, cid).state is ConsultationState.waiting


def test_the_thread_resolve_and_rating(app, client):
    (matchmaker,) = user_ids(app, "matchmaker", 1)
    (member,) = user_ids(app, "member", 1)
    cid = ask(app, client, member)
    assert consultation(app, cid).matchmaker_id == matchmaker

    # Not resolved yet: no rating.
    response = client.post(f"/consultations/{cid}/rating", data={"rating": "5"})
    assert response.status_code == 409
    assert consultation(app, cid).rating is None

    matchmaker_client = app.test_client()
    sign_in(app, matchmaker_client, matchmaker)
    page = matchmaker_client.get(f"/console/consultations/{cid}").get_data(as_text=True)
    assert QUESTION in page
    answer = "可以选人多、安静的咖啡馆，白天见面更安心。"
    response = matchmaker_client.post(
        f"/console/consultations/{cid}/messages", data={"body": answer}
    )
    assert response.status_code == 302
    assert consultation(app, cid).first_answer_at is not None
    assert ("consultation_reply", {"consultation_id": cid, "to": "member"}) in notifications_of(
        app, member
    )

    # The member reads the answer and replies; the matchmaker is told.
    assert answer in client.get(f"/consultations/{cid}").get_data(as_text=True)
    assert (
        client.post(f"/consultations/{cid}/messages", data={"body": "谢谢老师！"}).status_code
        == 302
    )
    assert ("consultation_reply", {"consultation_id": cid, "to": "matchmaker"}) in (
        notifications_of(app, matchmaker)
    )
    # Too long a reply: 400, nothing stored.
    assert (
        client.post(f"/consultations/{cid}/messages", data={"body": "长" * 2001}).status_code == 400
    )
    assert count(app, ConsultationMessage) == 2

    assert matchmaker_client.post(f"/console/consultations/{cid}/resolve").status_code == 302
    assert consultation(app, cid).state is ConsultationState.resolved
    assert matchmaker_client.post(f"/console/consultations/{cid}/resolve").status_code == 409
    assert ("consultation_resolved", {"consultation_id": cid}) in notifications_of(app, member)
    # Resolved: no more replies.
    assert (
        client.post(f"/consultations/{cid}/messages", data={"body": "还有一个问题"}).status_code
        == 409
    )

    # Bad ratings change nothing; the first good one stands; a second is a 409.
    for data in ({"rating": "0"}, {"rating": "6"}, {"rating": "x"}, {}):
        assert client.post(f"/consultations/{cid}/rating", data=data).status_code == 400
    assert consultation(app, cid).rating is None
    response = client.post(
        f"/consultations/{cid}/rating", data={"rating": "4", "comment": "很有用"}
    )
    assert response.status_code == 302
    response = client.post(f"/consultations/{cid}/rating", data={"rating": "1"})
    assert response.status_code == 409
    row = consultation(app, cid)
    assert (row.rating, row.rating_comment) == (4, "很有用")
    assert "rated 4 of 5" in matchmaker_client.get(f"/console/consultations/{cid}").get_data(
        as_text=True
    )


def test_someone_elses_consultation_is_a_404_for_members_and_other_matchmakers(app, client):
    own, other_matchmaker = user_ids(app, "matchmaker", 2)
    asker, stranger = user_ids(app, "member", 2)
    cid = ask(app, client, asker)
    assigned = consultation(app, cid).matchmaker_id
    other_matchmaker = own if assigned == other_matchmaker else other_matchmaker
    client.post("/account/signout")

    sign_in(app, client, stranger)
    assert client.get(f"/consultations/{cid}").status_code == 404
    assert client.post(f"/consultations/{cid}/messages", data={"body": "你好"}).status_code == 404
    assert client.post(f"/consultations/{cid}/rating", data={"rating": "1"}).status_code == 404
    client.post("/account/signout")

    sign_in(app, client, other_matchmaker)
    assert client.get(f"/console/consultations/{cid}").status_code == 404
    response = client.post(f"/console/consultations/{cid}/messages", data={"body": "我来回答"})
    assert response.status_code == 404
    assert client.post(f"/console/consultations/{cid}/resolve").status_code == 404
    assert f"/console/consultations/{cid}" not in client.get("/console/consultations/").get_data(
        as_text=True
    )
    assert count(app, ConsultationMessage) == 0
    assert consultation(app, cid).state is ConsultationState.open


def test_administrators_read_every_consultation_but_do_not_write(app, client):
    user_ids(app, "matchmaker", 1)
    (member,) = user_ids(app, "member", 1)
    cid = ask(app, client, member)
    (admin,) = user_ids(app, "admin", 1)
    admin_client = app.test_client()
    sign_in(app, admin_client, admin)
    assert f"/console/consultations/{cid}" in admin_client.get("/console/consultations/").get_data(
        as_text=True
    )
    page = admin_client.get(f"/console/consultations/{cid}")
    assert page.status_code == 200 and QUESTION in page.get_data(as_text=True)
    assert "Mark as resolved" not in page.get_data(as_text=True)
    assert (
        admin_client.post(
            f"/console/consultations/{cid}/messages", data={"body": "你好"}
        ).status_code
        == 403
    )
    assert admin_client.post(f"/console/consultations/{cid}/resolve").status_code == 403
    assert consultation(app, cid).state is ConsultationState.open


def test_opening_a_consultation_is_in_the_members_access_log(app, client):
    (matchmaker,) = user_ids(app, "matchmaker", 1)
    (member,) = user_ids(app, "member", 1)
    cid = ask(app, client, member)
    assert "A consultation you asked for" not in client.get("/me/data/").get_data(as_text=True)
    matchmaker_client = app.test_client()
    sign_in(app, matchmaker_client, matchmaker)
    assert matchmaker_client.get(f"/console/consultations/{cid}").status_code == 200
    with app.app_context():
        rows = db.session.execute(
            select(
                PersonalDataAccess.viewer_id,
                PersonalDataAccess.subject_id,
                PersonalDataAccess.purpose,
            )
        ).all()
    assert [tuple(r) for r in rows] == [(matchmaker, member, "consultation")]
    page = client.get("/me/data/").get_data(as_text=True)
    assert "A consultation you asked for" in page and "Matchmaker" in page


def test_the_me_page_links_to_matchmaker_help(app, client):
    (member,) = user_ids(app, "member", 1)
    sign_in(app, client, member)
    page = client.get("/me").get_data(as_text=True)
    assert 'href="/consultations/"' in page and "Matchmaker help" in page
    page = client.get("/consultations/").get_data(as_text=True)
    assert 'href="/consultations/new"' in page


def test_requests_are_limited_per_member_per_day(app_factory):
    app = app_factory(RATELIMIT_CONSULTATION="2 per day")
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    user_ids(app, "matchmaker", 1)
    member, other = user_ids(app, "member", 2)
    client = app.test_client()
    for _ in range(2):
        ask(app, client, member)
    data = {"topic": "first_date", "body": QUESTION}
    over = client.post("/consultations/new", data=data)
    assert over.status_code == 429
    assert "asked for many consultations today" in over.get_data(as_text=True)
    assert QUESTION in over.get_data(as_text=True)  # the text is kept
    assert count(app, Consultation) == 2
    ask(app, app.test_client(), other)  # another member has a count of their own


def test_a_member_has_at_most_three_unresolved_requests(app_factory):
    app = app_factory(RATELIMIT_CONSULTATION="10 per day")
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    (matchmaker,) = user_ids(app, "matchmaker", 1)
    (member,) = user_ids(app, "member", 1)
    client = app.test_client()
    first, *_rest = [ask(app, client, member) for _ in range(3)]
    data = {"topic": "first_date", "body": QUESTION}
    refused = client.post("/consultations/new", data=data)
    assert refused.status_code == 409
    assert "3 requests that are not resolved yet" in refused.get_data(as_text=True)
    assert count(app, Consultation) == 3
    matchmaker_client = app.test_client()
    sign_in(app, matchmaker_client, matchmaker)
    resolved = matchmaker_client.post(f"/console/consultations/{first}/resolve")
    assert resolved.status_code == 302
    assert client.post("/consultations/new", data=data).status_code == 302
    assert count(app, Consultation) == 4
