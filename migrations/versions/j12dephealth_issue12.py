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


def upgrade():
    pass


def downgrade():
    pass
