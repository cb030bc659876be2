"""Love school in the matchmakers' console: a matchmaker's courses (administrators see
every course), writing courses and lessons with a preview, ordering, publishing.

Only a course's author or an administrator may open or change it (others: 403).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth import matchmaker_required
from app.db_types import utcnow
from app.extensions import db
from app.school import bp, operations, reading, rendering
from app.school.forms import ConfirmForm, CourseForm, LessonForm
from app.school.models import Course, Lesson, LessonKind
from app.school.routes import event_url

Page = tuple[str, int]


def _course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None:
        abort(404)
    if not operations.may_edit(current_user, course):
        abort(403)
    return course


def _lesson(course: Course, lesson_id: int) -> Lesson:
    lesson = reading.lesson_of(course, lesson_id)
    if lesson is None:
        abort(404)
    return lesson


@bp.get("/console/school/")
@matchmaker_required
def console_courses() -> str:
    courses = operations.console_courses(current_user)
    return render_template("school/console/courses.html", courses=courses)


@bp.route("/console/school/new", methods=["GET", "POST"])
@matchmaker_required
def console_new_course() -> Response | Page:
    form = CourseForm()
    if request.method == "GET":
        return render_template("school/console/course_form.html", form=form, course=None), 200
    if not form.validate():
        return render_template("school/console/course_form.html", form=form, course=None), 400
    course = operations.create_course(current_user.id, form.title.data, form.summary.data)
    db.session.commit()
    flash(_("Course created. Now add its first lesson."), "success")
    return redirect(url_for("school.console_course", course_id=course.id))


def _course_page(course: Course, problem: str | None = None, status: int = 200) -> Page:
    return render_template(
        "school/console/course.html", course=course, form=ConfirmForm(), problem=problem
    ), status


@bp.get("/console/school/<int:course_id>")
@matchmaker_required
def console_course(course_id: int) -> Page:
    return _course_page(_course(course_id))


@bp.route("/console/school/<int:course_id>/edit", methods=["GET", "POST"])
@matchmaker_required
def console_edit_course(course_id: int) -> Response | Page:
    course = _course(course_id)
    form = CourseForm(obj=course)
    if request.method == "GET":
        return render_template("school/console/course_form.html", form=form, course=course), 200
    if not form.validate():
        return render_template("school/console/course_form.html", form=form, course=course), 400
    operations.update_course(course, form.title.data, form.summary.data)
    db.session.commit()
    flash(_("Course saved."), "success")
    return redirect(url_for("school.console_course", course_id=course.id))


def _lesson_form_page(
    course: Course, lesson: Lesson | None, form: LessonForm, status: int, preview: str | None
) -> Page:
    return render_template(
        "school/console/lesson_form.html",
        course=course,
        lesson=lesson,
        form=form,
        preview=preview,
        event_link=event_url(form.event_id.data) if not form.errors else None,
    ), status


def _save_lesson(course: Course, lesson: Lesson | None) -> Response | Page:
    """Validate the posted lesson; preview it, or save it and go back to the course."""
    form = LessonForm()
    valid = form.validate()
    if valid:
        problem = operations.event_problem(LessonKind(form.kind.data), form.event_id.data)
        if problem is not None:
            form.event_id.errors = [problem]
            valid = False
    if not valid:
        return _lesson_form_page(course, lesson, form, 400, None)
    if form.wants_preview:
        preview = rendering.render(form.body_markdown.data)
        return _lesson_form_page(course, lesson, form, 200, preview)
    fields = (form.title.data, LessonKind(form.kind.data), form.body_markdown.data)
    if lesson is None:
        operations.add_lesson(course, *fields, event_id=form.event_id.data)
    else:
        operations.update_lesson(lesson, *fields, event_id=form.event_id.data)
    db.session.commit()
    flash(_("Lesson saved."), "success")
    return redirect(url_for("school.console_course", course_id=course.id))


@bp.route("/console/school/<int:course_id>/lessons/new", methods=["GET", "POST"])
@matchmaker_required
def console_new_lesson(course_id: int) -> Response | Page:
    course = _course(course_id)
    if request.method == "POST":
        return _save_lesson(course, None)
    return _lesson_form_page(course, None, LessonForm(), 200, None)


@bp.route("/console/school/<int:course_id>/lessons/<int:lesson_id>/edit", methods=["GET", "POST"])
@matchmaker_required
def console_edit_lesson(course_id: int, lesson_id: int) -> Response | Page:
    course = _course(course_id)
    lesson = _lesson(course, lesson_id)
    if request.method == "POST":
        return _save_lesson(course, lesson)
    form = LessonForm(obj=lesson, kind=lesson.kind.value)
    return _lesson_form_page(course, lesson, form, 200, lesson.body_html)


@bp.post("/console/school/<int:course_id>/lessons/<int:lesson_id>/move")
@matchmaker_required
def console_move_lesson(course_id: int, lesson_id: int) -> Response | Page:
    course = _course(course_id)
    lesson = _lesson(course, lesson_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if not ConfirmForm().validate() or step is None:
        return _course_page(course, _("Choose whether to move the lesson up or down."), 400)
    operations.move_lesson(lesson, step)
    db.session.commit()
    return redirect(url_for("school.console_course", course_id=course.id, _anchor="lessons"))


@bp.route("/console/school/<int:course_id>/lessons/<int:lesson_id>/delete", methods=["GET", "POST"])
@matchmaker_required
def console_delete_lesson(course_id: int, lesson_id: int) -> Response | Page:
    course = _course(course_id)
    lesson = _lesson(course, lesson_id)
    form = ConfirmForm()
    page = "school/console/delete_lesson.html"
    if request.method == "GET":
        return render_template(page, course=course, lesson=lesson, form=form), 200
    if not form.validate():
        return render_template(page, course=course, lesson=lesson, form=form), 400
    try:
        operations.delete_lesson(lesson)
    except operations.LastLesson:
        db.session.rollback()
        problem = _("A published course keeps at least one lesson. Unpublish the course first.")
        return _course_page(course, problem, 409)
    db.session.commit()
    flash(_("Lesson deleted."), "success")
    return redirect(url_for("school.console_course", course_id=course.id))


@bp.post("/console/school/<int:course_id>/publish")
@matchmaker_required
def console_publish(course_id: int) -> Response | Page:
    course = _course(course_id)
    if not ConfirmForm().validate():
        return _course_page(course, _("The form expired. Please try again."), 400)
    try:
        operations.publish(course, current_user.id, utcnow())
    except operations.NoLessons:
        return _course_page(course, _("Add at least one lesson before publishing."), 400)
    db.session.commit()
    flash(_("Course published: members can read it now."), "success")
    return redirect(url_for("school.console_course", course_id=course.id))


@bp.post("/console/school/<int:course_id>/unpublish")
@matchmaker_required
def console_unpublish(course_id: int) -> Response | Page:
    course = _course(course_id)
    if not ConfirmForm().validate():
        return _course_page(course, _("The form expired. Please try again."), 400)
    operations.unpublish(course, current_user.id)
    db.session.commit()
    flash(_("Course unpublished: members no longer see it."), "success")
    return redirect(url_for("school.console_course", course_id=course.id))
