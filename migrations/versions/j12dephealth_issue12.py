"""hardening: department health, waiting checks (issue 12)

Revision ID: j12dephealth
Revises: j12identity1
Create Date: 2026-12-04 02:00:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'j12dephealth'
down_revision = 'j12identity1'
branch_labels = None
depends_on = None


DEPARTMENTS = (
    'public_security', 'civil_affairs', 'education', 'hr_social_security', 'justice',
    'development_reform',
)


def upgrade():
    # One circuit breaker per department, shared by every worker (verification/health.py).
    # Rows are created on a department's first failure; none means closed.
    op.create_table('department_health',
    sa.Column('department', sa.Enum(*DEPARTMENTS, name='department', native_enum=False, length=32), nullable=False),
    sa.Column('state', sa.Enum('closed', 'open', 'half_open', name='breakerstate', native_enum=False, length=32), nullable=False),
    sa.Column('since', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('window_started_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('window_calls', sa.Integer(), nullable=False),
    sa.Column('window_failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_failure', sa.String(length=200), nullable=True),
    sa.Column('last_success_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('trial_started_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('department', name=op.f('pk_department_health'))
    )
    # A check waiting for its department (state 'waiting', no schema change: the state
    # is a plain string) remembers since when, for VERIFICATION_OUTAGE_PATIENCE.
    with op.batch_alter_table('verification_check', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waiting_since', app.db_types.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    # Waiting checks go back to queued: the reconciler re-dispatches them.
    op.execute("UPDATE verification_check SET state = 'queued', deadline_at = NULL WHERE state = 'waiting'")
    with op.batch_alter_table('verification_check', schema=None) as batch_op:
        batch_op.drop_column('waiting_since')
    op.drop_table('department_health')
