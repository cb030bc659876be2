"""Love school (爱情学堂): members' pages under /school, the console's under /console/school.

There is no course 1 in this table's database: members reach the (empty) list and get
404 for a course; matchmakers and administrators reach their list and the new-course
form and get 404 for a course. Members meet the console's 403; non-members meet the
member gate (403) on the members' pages. Courses that exist are walked per role in
tests/test_school_access.py.
"""

from __future__ import annotations

from tests.authz import Case, signed_in_only

GATE = {"registered": 403, "verifying": 403}
MEMBERS = ("member", "matchmaker", "admin")
CONSOLE = ("matchmaker", "admin")


def _members(path: str, outcome: int, **data: str) -> Case:
    return Case(path, signed_in_only(path, {**GATE, **dict.fromkeys(MEMBERS, outcome)}), data)


def _console(path: str, outcome: int, **data: str) -> Case:
    others = dict.fromkeys(("registered", "verifying", "member"), 403)
    return Case(path, signed_in_only(path, {**others, **dict.fromkeys(CONSOLE, outcome)}), data)


LESSON = {"title": "第一课", "kind": "reading", "body_markdown": "你好", "save": "y"}

TABLE: dict[tuple[str, str], Case] = {
    ("school.index", "GET"): _members("/school/", 200),
    ("school.course", "GET"): _members("/school/1", 404),
    ("school.lesson", "GET"): _members("/school/1/lessons/1", 404),
    ("school.mark_done", "POST"): _members("/school/1/lessons/1/done", 404),
    ("school.console_courses", "GET"): _console("/console/school/", 200),
    ("school.console_new_course", "GET"): _console("/console/school/new", 200),
    # An empty form: refused with the fields' messages, nothing created.
    ("school.console_new_course", "POST"): _console("/console/school/new", 400),
    ("school.console_course", "GET"): _console("/console/school/1", 404),
    ("school.console_edit_course", "GET"): _console("/console/school/1/edit", 404),
    ("school.console_edit_course", "POST"): _console(
        "/console/school/1/edit", 404, title="恋爱课", summary="简介"
    ),
    ("school.console_new_lesson", "GET"): _console("/console/school/1/lessons/new", 404),
    ("school.console_new_lesson", "POST"): _console("/console/school/1/lessons/new", 404, **LESSON),
    ("school.console_edit_lesson", "GET"): _console("/console/school/1/lessons/1/edit", 404),
    ("school.console_edit_lesson", "POST"): _console(
        "/console/school/1/lessons/1/edit", 404, **LESSON
    ),
    ("school.console_move_lesson", "POST"): _console(
        "/console/school/1/lessons/1/move", 404, direction="up"
    ),
    ("school.console_delete_lesson", "GET"): _console("/console/school/1/lessons/1/delete", 404),
    ("school.console_delete_lesson", "POST"): _console("/console/school/1/lessons/1/delete", 404),
    ("school.console_publish", "POST"): _console("/console/school/1/publish", 404),
    ("school.console_unpublish", "POST"): _console("/console/school/1/unpublish", 404),
}
