"""hardening: photos, limits, odd input (issue 12)

Revision ID: j12photos001
Revises: j12dephealth
Create Date: 2026-12-04 02:00:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'j12photos001'
down_revision = 'j12dephealth'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
