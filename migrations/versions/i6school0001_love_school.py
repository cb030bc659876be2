"""love school: courses, lessons, progress (issue 6, love school)

Revision ID: i6school0001
Revises: h6intros0001
Create Date: 2026-11-29 19:00:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'i6school0001'
down_revision = 'h6intros0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('school_course',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('state', sa.Enum('draft', 'published', name='coursestate', native_enum=False, length=32), nullable=False),
    sa.Column('published_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_school_course_author_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_course'))
    )
    with op.batch_alter_table('school_course', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_course_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_school_course_state_published_at', ['state', 'published_at'], unique=False)

    op.create_table('school_lesson',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('reading', 'lecture', name='lessonkind', native_enum=False, length=32), nullable=False),
    sa.Column('body_markdown', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    # The event a lecture links to; no foreign key (the events table is added apart).
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['school_course.id'], name=op.f('fk_school_lesson_course_id_school_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_lesson'))
    )
    with op.batch_alter_table('school_lesson', schema=None) as batch_op:
        batch_op.create_index('ix_school_lesson_course_id_position', ['course_id', 'position'], unique=False)

    op.create_table('school_lesson_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('done_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['user_account.id'], name=op.f('fk_school_lesson_progress_member_id_user_account')),
    sa.ForeignKeyConstraint(['lesson_id'], ['school_lesson.id'], name=op.f('fk_school_lesson_progress_lesson_id_school_lesson'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_lesson_progress')),
    sa.UniqueConstraint('member_id', 'lesson_id', name=op.f('uq_school_lesson_progress_member_id'))
    )
    with op.batch_alter_table('school_lesson_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_lesson_progress_lesson_id'), ['lesson_id'], unique=False)


def downgrade():
    with op.batch_alter_table('school_lesson_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_lesson_progress_lesson_id'))

    op.drop_table('school_lesson_progress')
    with op.batch_alter_table('school_lesson', schema=None) as batch_op:
        batch_op.drop_index('ix_school_lesson_course_id_position')

    op.drop_table('school_lesson')
    with op.batch_alter_table('school_course', schema=None) as batch_op:
        batch_op.drop_index('ix_school_course_state_published_at')
        batch_op.drop_index(batch_op.f('ix_school_course_author_id'))

    op.drop_table('school_course')
