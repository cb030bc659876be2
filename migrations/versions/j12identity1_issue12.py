"""hardening: verification identity duplicates (issue 12)

Revision ID: j12identity1
Revises: j12accounts1
Create Date: 2026-12-04 02:00:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'j12identity1'
down_revision = 'j12accounts1'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
