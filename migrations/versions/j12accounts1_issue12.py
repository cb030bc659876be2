"""hardening: accounts (issue 12) — device sessions, sign-in throttle

Revision ID: j12accounts1
Revises: i6school0001
Create Date: 2026-12-04 02:00:00

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
    pass


def downgrade():
    pass
