"""introductions: a matchmaker proposes two members to each other (issue 6, introductions)

Revision ID: h6intros0001
Revises: g6consult001
Create Date: 2026-11-29 19:00:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'h6intros0001'
down_revision = 'g6consult001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
