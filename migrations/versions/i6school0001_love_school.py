"""love school: courses, lessons, progress (issue 6, love school)

Revision ID: i6school0001
Revises: h6intros0001
Create Date: 2026-11-29 19:00:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'i6school0001'
down_revision = 'h6intros0001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
