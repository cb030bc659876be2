"""introductions: a matchmaker proposes two members to each other (issue 6, introductions)

Revision ID: h6intros0001
Revises: g6consult001
Create Date: 2026-11-29 19:00:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'h6intros0001'
down_revision = 'g6consult001'
branch_labels = None
depends_on = None


PENDING = sa.text("state = 'pending'")


def upgrade():
    op.create_table('introduction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matchmaker_id', sa.Integer(), nullable=False),
    sa.Column('member_a_id', sa.Integer(), nullable=False),
    sa.Column('member_b_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'matched', 'closed', name='introductionstate', native_enum=False, length=32), nullable=False),
    sa.Column('answer_a', sa.Enum('accepted', 'declined', name='answer', native_enum=False, length=32), nullable=True),
    sa.Column('answer_b', sa.Enum('accepted', 'declined', name='answer', native_enum=False, length=32), nullable=True),
    sa.Column('answered_a_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_b_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('match_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('member_a_id < member_b_id', name=op.f('ck_introduction_ordered_pair')),
    sa.ForeignKeyConstraint(['match_id'], ['member_match.id'], name=op.f('fk_introduction_match_id_member_match')),
    sa.ForeignKeyConstraint(['matchmaker_id'], ['user_account.id'], name=op.f('fk_introduction_matchmaker_id_user_account')),
    sa.ForeignKeyConstraint(['member_a_id'], ['user_account.id'], name=op.f('fk_introduction_member_a_id_user_account')),
    sa.ForeignKeyConstraint(['member_b_id'], ['user_account.id'], name=op.f('fk_introduction_member_b_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_introduction'))
    )
    with op.batch_alter_table('introduction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_introduction_matchmaker_id'), ['matchmaker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introduction_member_a_id'), ['member_a_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introduction_member_b_id'), ['member_b_id'], unique=False)
        batch_op.create_index('uq_introduction_pending_pair', ['member_a_id', 'member_b_id'], unique=True, sqlite_where=PENDING, postgresql_where=PENDING)


def downgrade():
    with op.batch_alter_table('introduction', schema=None) as batch_op:
        batch_op.drop_index('uq_introduction_pending_pair')
        batch_op.drop_index(batch_op.f('ix_introduction_member_b_id'))
        batch_op.drop_index(batch_op.f('ix_introduction_member_a_id'))
        batch_op.drop_index(batch_op.f('ix_introduction_matchmaker_id'))

    op.drop_table('introduction')
