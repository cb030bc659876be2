"""After ``flask demo seed`` the love school has two published courses and a draft, and
思远 has finished some lessons; a second seeding adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.demo import DEMO_MEMBER, DEMO_PASSWORD
from app.extensions import db
from app.school.models import Course, CourseState, Lesson, LessonProgress
from tests.school_helpers import sign_in


def _counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count(Course.id))),
        db.session.scalar(select(func.count(Lesson.id))),
        db.session.scalar(select(func.count(LessonProgress.id))),
    )


def test_the_demo_has_two_published_courses_a_draft_and_progress(demo_app, demo_template):
    app, result = demo_app, demo_template.result  # the demo, seeded once per worker
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    assert result.exit_code == 0, result.output
    with app.app_context():
        courses = {c.title: c for c in db.session.scalars(select(Course))}
        assert courses["第一次约会"].state is CourseState.published
        assert courses["如何识别婚恋诈骗"].state is CourseState.published
        assert courses["写好你的个人简介"].state is CourseState.draft
        assert all(3 <= len(courses[t].lessons) <= 4 for t in ("第一次约会", "如何识别婚恋诈骗"))
        assert "<table>" in courses["如何识别婚恋诈骗"].lessons[1].body_html
        counts = _counts()
        member = db.session.scalar(select(User.id).where(User.phone == DEMO_MEMBER))
    again = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert _counts() == counts

    client = app.test_client()
    sign_in(client, DEMO_MEMBER, DEMO_PASSWORD)
    page = client.get("/school/").get_data(as_text=True)
    assert "2 of 4 lessons done" in page and "1 of 4 lessons done" in page
    assert "写好你的个人简介" not in page
    with app.app_context():
        done = db.session.scalars(select(LessonProgress.member_id).distinct()).all()
    assert done == [member]
