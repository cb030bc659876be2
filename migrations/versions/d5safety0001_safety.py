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


def upgrade():
    pass


def downgrade():
    pass
