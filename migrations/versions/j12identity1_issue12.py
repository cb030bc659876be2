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


OLD_WHERE = sa.text("state IN ('checking', 'review', 'approved')")
NEW_WHERE = sa.text("state = 'approved' AND id_number_index <> ''")


def upgrade():
    # One person, one account now holds for approved cases (members) only: anyone may
    # apply with any ID number, and a duplicate is settled when the departments have
    # answered. Existing rows satisfy the new index (the old one was stricter).
    op.drop_index(
        'uq_verification_case_identity_held',
        table_name='verification_case',
        sqlite_where=OLD_WHERE,
        postgresql_where=OLD_WHERE,
    )
    op.create_index(
        'uq_verification_case_identity_approved',
        'verification_case',
        ['id_number_index'],
        unique=True,
        sqlite_where=NEW_WHERE,
        postgresql_where=NEW_WHERE,
    )


def downgrade():
    # Fails while two open or approved cases share an ID number (duplicates waiting
    # for review): decide them first.
    op.drop_index(
        'uq_verification_case_identity_approved',
        table_name='verification_case',
        sqlite_where=NEW_WHERE,
        postgresql_where=NEW_WHERE,
    )
    op.create_index(
        'uq_verification_case_identity_held',
        'verification_case',
        ['id_number_index'],
        unique=True,
        sqlite_where=OLD_WHERE,
        postgresql_where=OLD_WHERE,
    )
