"""consultations: one-to-one requests, their threads and ratings (issue 6, consultations)

Revision ID: g6consult001
Revises: f6events0001
Create Date: 2026-11-29 19:00:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'g6consult001'
down_revision = 'f6events0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('matchmaker_id', sa.Integer(), nullable=True),
    sa.Column('topic', sa.Enum('getting_started', 'profile', 'chatting', 'first_date', 'relationship', 'safety', 'other', name='topic', native_enum=False, length=32), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('waiting', 'open', 'resolved', name='consultationstate', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('assigned_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answer_due_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_answer_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rating', sa.SmallInteger(), nullable=True),
    sa.Column('rating_comment', sa.String(length=500), nullable=True),
    sa.Column('rated_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_consultation_rating_range')),
    sa.ForeignKeyConstraint(['matchmaker_id'], ['user_account.id'], name=op.f('fk_consultation_matchmaker_id_user_account')),
    sa.ForeignKeyConstraint(['member_id'], ['user_account.id'], name=op.f('fk_consultation_member_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation'))
    )
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.create_index('ix_consultation_matchmaker_id_state', ['matchmaker_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_state'), ['state'], unique=False)

    op.create_table('consultation_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_consultation_message_author_id_user_account')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_message_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_message'))
    )
    with op.batch_alter_table('consultation_message', schema=None) as batch_op:
        batch_op.create_index('ix_consultation_message_consultation_id_id', ['consultation_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('consultation_message', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_message_consultation_id_id')

    op.drop_table('consultation_message')
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_state'))
        batch_op.drop_index(batch_op.f('ix_consultation_member_id'))
        batch_op.drop_index('ix_consultation_matchmaker_id_state')

    op.drop_table('consultation')
