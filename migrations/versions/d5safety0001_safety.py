"""safety: reports, moderation actions, appeals (issue 5, safety)

Revision ID: d5safety0001
Revises: c5lounge0001
Create Date: 2026-11-28 15:50:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'd5safety0001'
down_revision = 'c5lounge0001'
branch_labels = None
depends_on = None

OPEN = sa.text("state = 'open'")
OPEN_FRAUD = sa.text("state = 'open' AND source = 'fraud_filter'")


def upgrade():
    op.create_table('safety_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reported_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('fraud_or_money', 'harassment', 'fake_profile', 'inappropriate_content', 'underage_or_married', 'other', name='reportreason', native_enum=False, length=32), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('source', sa.Enum('member', 'fraud_filter', name='reportsource', native_enum=False, length=32), nullable=False),
    sa.Column('state', sa.Enum('open', 'dismissed', 'warned', 'suspended', name='reportstate', native_enum=False, length=32), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.String(length=1000), nullable=True),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reporter_id'], ['user_account.id'], name=op.f('fk_safety_report_reporter_id_user_account')),
    sa.ForeignKeyConstraint(['reported_id'], ['user_account.id'], name=op.f('fk_safety_report_reported_id_user_account')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_safety_report_decided_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_report'))
    )
    with op.batch_alter_table('safety_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_report_reported_id'), ['reported_id'], unique=False)
        batch_op.create_index('ix_safety_report_state_created_at', ['state', 'created_at'], unique=False)
        batch_op.create_index('uq_safety_report_open_per_reporter', ['reporter_id', 'reported_id'], unique=True, sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.create_index('uq_safety_report_open_fraud_filter', ['reported_id'], unique=True, sqlite_where=OPEN_FRAUD, postgresql_where=OPEN_FRAUD)

    op.create_table('safety_appeal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('open', 'upheld', 'overturned', name='appealstate', native_enum=False, length=32), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.String(length=1000), nullable=True),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['safety_report.id'], name=op.f('fk_safety_appeal_report_id_safety_report')),
    sa.ForeignKeyConstraint(['member_id'], ['user_account.id'], name=op.f('fk_safety_appeal_member_id_user_account')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_safety_appeal_decided_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_appeal')),
    sa.UniqueConstraint('report_id', name=op.f('uq_safety_appeal_report_id'))
    )
    with op.batch_alter_table('safety_appeal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_appeal_member_id'), ['member_id'], unique=False)
        batch_op.create_index('ix_safety_appeal_state_created_at', ['state', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('safety_appeal', schema=None) as batch_op:
        batch_op.drop_index('ix_safety_appeal_state_created_at')
        batch_op.drop_index(batch_op.f('ix_safety_appeal_member_id'))

    op.drop_table('safety_appeal')
    with op.batch_alter_table('safety_report', schema=None) as batch_op:
        batch_op.drop_index('uq_safety_report_open_fraud_filter')
        batch_op.drop_index('uq_safety_report_open_per_reporter')
        batch_op.drop_index('ix_safety_report_state_created_at')
        batch_op.drop_index(batch_op.f('ix_safety_report_reported_id'))

    op.drop_table('safety_report')
