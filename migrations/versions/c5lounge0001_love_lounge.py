"""love lounge: messages and read state, unmatching (issue 5, lounge)

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
    op.create_table('lounge_message',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('flag_reasons', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['match_id'], ['member_match.id'], name=op.f('fk_lounge_message_match_id_member_match'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['user_account.id'], name=op.f('fk_lounge_message_sender_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lounge_message'))
    )
    with op.batch_alter_table('lounge_message', schema=None) as batch_op:
        batch_op.create_index('ix_lounge_message_match_id_id', ['match_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lounge_message_sender_id'), ['sender_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lounge_message_flagged'), ['flagged'], unique=False)

    with op.batch_alter_table('member_match', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_at', app.db_types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ended_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_member_match_ended_by_id_user_account'), 'user_account', ['ended_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('member_match', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_member_match_ended_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('ended_by_id')
        batch_op.drop_column('ended_at')

    with op.batch_alter_table('lounge_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lounge_message_flagged'))
        batch_op.drop_index(batch_op.f('ix_lounge_message_sender_id'))
        batch_op.drop_index('ix_lounge_message_match_id_id')

    op.drop_table('lounge_message')
