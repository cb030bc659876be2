"""hardening: accounts (issue 12) — device sessions, sign-in throttle

Revision ID: j12accounts1
Revises: i6school0001
Create Date: 2026-12-04 02:00:00

The sign-in throttle keeps its counts in the rate limiter's storage (Redis), not in a
table; the new SMS code purpose ("signin") is a plain string value (no constraint).
"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'j12accounts1'
down_revision = 'i6school0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('device_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('device', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_device_session_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_device_session_token_hash'))
    )
    with op.batch_alter_table('device_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_session_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('device_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_session_user_id'))

    op.drop_table('device_session')
