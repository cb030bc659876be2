"""quick match: one row per member and day whose list is written (daily_list)

A member the day's run finds nobody for gets a row of size 0, so the Today page and
later runs know the list is written. Yesterday's lists need no rows: the table starts
empty.

Revision ID: k13dailylist
Revises: j12photos001
Create Date: 2026-12-04 18:40:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'k13dailylist'
down_revision = 'j12photos001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'daily_list',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('size', sa.SmallInteger(), nullable=False),
        sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint('size >= 0', name=op.f('ck_daily_list_size_not_negative')),
        sa.ForeignKeyConstraint(
            ['member_id'], ['user_account.id'],
            name=op.f('fk_daily_list_member_id_user_account'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_daily_list')),
        sa.UniqueConstraint('day', 'member_id', name=op.f('uq_daily_list_day')),
    )


def downgrade():
    op.drop_table('daily_list')
