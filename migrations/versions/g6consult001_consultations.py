"""consultations: one-to-one requests, their threads and ratings (issue 6, consultations)

Revision ID: g6consult001
Revises: f6events0001
Create Date: 2026-11-29 19:00:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'g6consult001'
down_revision = 'f6events0001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
