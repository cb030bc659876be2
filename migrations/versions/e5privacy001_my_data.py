"""my data: personal-data access log, consent withdrawal, deletion (issue 5, privacy)

Revision ID: e5privacy001
Revises: d5safety0001
Create Date: 2026-11-28 15:50:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'e5privacy001'
down_revision = 'd5safety0001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
