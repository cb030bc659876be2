"""member pages: profile photos and the profile's new columns (issue 5, profiles)

Revision ID: a5profiles01
Revises: 684ad6cce777
Create Date: 2026-11-28 15:50:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'a5profiles01'
down_revision = '684ad6cce777'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
