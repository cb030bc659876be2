"""love lounge: messages and read state (issue 5, lounge)

Revision ID: c5lounge0001
Revises: b5today00001
Create Date: 2026-11-28 15:50:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'c5lounge0001'
down_revision = 'b5today00001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
