"""quick match pages: what today's page and likes need (issue 5, today)

Revision ID: b5today00001
Revises: a5profiles01
Create Date: 2026-11-28 15:50:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'b5today00001'
down_revision = 'a5profiles01'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
