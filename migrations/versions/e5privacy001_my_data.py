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
    # AccountState gains "deleted": the state column is a non-native enum (a VARCHAR(32)
    # without a CHECK constraint), so the new value needs no schema change.
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_withdrawn_at', app.db_types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', app.db_types.UTCDateTime(timezone=True), nullable=True))

    op.create_table('personal_data_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('viewer_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['subject_id'], ['user_account.id'], name=op.f('fk_personal_data_access_subject_id_user_account')),
    sa.ForeignKeyConstraint(['viewer_id'], ['user_account.id'], name=op.f('fk_personal_data_access_viewer_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_data_access'))
    )
    with op.batch_alter_table('personal_data_access', schema=None) as batch_op:
        batch_op.create_index('ix_personal_data_access_subject_id_at', ['subject_id', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('personal_data_access', schema=None) as batch_op:
        batch_op.drop_index('ix_personal_data_access_subject_id_at')

    op.drop_table('personal_data_access')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('consent_withdrawn_at')
