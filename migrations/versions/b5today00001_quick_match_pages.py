"""quick match pages: what today's page and likes need (issue 5, today): the private
"did you meet?" answers about a match (meeting_feedback)

Revision ID: b5today00001
Revises: a5profiles01
Create Date: 2026-11-28 15:50:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'b5today00001'
down_revision = 'a5profiles01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meeting_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('asked_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('met', sa.Enum('yes', 'not_yet', 'no', name='meetinganswer', native_enum=False, length=32), nullable=True),
    sa.Column('rating', sa.SmallInteger(), nullable=True),
    sa.Column('answered_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("rating IS NULL OR (met = 'yes' AND rating BETWEEN 1 AND 5)", name=op.f('ck_meeting_feedback_rating_when_met')),
    sa.ForeignKeyConstraint(['match_id'], ['member_match.id'], name=op.f('fk_meeting_feedback_match_id_member_match'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['user_account.id'], name=op.f('fk_meeting_feedback_member_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_feedback')),
    sa.UniqueConstraint('match_id', 'member_id', name=op.f('uq_meeting_feedback_match_id'))
    )
    with op.batch_alter_table('meeting_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_feedback_member_id'), ['member_id'], unique=False)


def downgrade():
    with op.batch_alter_table('meeting_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_feedback_member_id'))

    op.drop_table('meeting_feedback')
