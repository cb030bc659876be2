"""events: offline events, sign-ups, waitlist offers, check-in, mutual choice (issue 6, events)

Revision ID: f6events0001
Revises: e5privacy001
Create Date: 2026-11-29 19:00:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'f6events0001'
down_revision = 'e5privacy001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
