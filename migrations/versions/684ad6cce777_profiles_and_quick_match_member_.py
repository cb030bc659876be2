"""profiles and quick match: member profiles, daily suggestions, reactions, blocks, matches

Gender, birth date and education are not profile columns: they come from the approved
verification case and the verified education fact.

Revision ID: 684ad6cce777
Revises: 5183235297a8
Create Date: 2026-11-28 09:33:14.129862

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = '684ad6cce777'
down_revision = '5183235297a8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('daily_suggestion',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('viewer_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.SmallInteger(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['user_account.id'], name=op.f('fk_daily_suggestion_candidate_id_user_account')),
    sa.ForeignKeyConstraint(['viewer_id'], ['user_account.id'], name=op.f('fk_daily_suggestion_viewer_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_daily_suggestion')),
    sa.UniqueConstraint('day', 'viewer_id', 'candidate_id', name=op.f('uq_daily_suggestion_day'))
    )
    op.create_table('member_block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('blocker_id', sa.Integer(), nullable=False),
    sa.Column('blocked_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('blocker_id <> blocked_id', name=op.f('ck_member_block_not_self')),
    sa.ForeignKeyConstraint(['blocked_id'], ['user_account.id'], name=op.f('fk_member_block_blocked_id_user_account')),
    sa.ForeignKeyConstraint(['blocker_id'], ['user_account.id'], name=op.f('fk_member_block_blocker_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_block')),
    sa.UniqueConstraint('blocker_id', 'blocked_id', name=op.f('uq_member_block_blocker_id'))
    )
    with op.batch_alter_table('member_block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_block_blocked_id'), ['blocked_id'], unique=False)

    op.create_table('member_match',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_a_id', sa.Integer(), nullable=False),
    sa.Column('user_b_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('user_a_id < user_b_id', name=op.f('ck_member_match_ordered_pair')),
    sa.ForeignKeyConstraint(['user_a_id'], ['user_account.id'], name=op.f('fk_member_match_user_a_id_user_account')),
    sa.ForeignKeyConstraint(['user_b_id'], ['user_account.id'], name=op.f('fk_member_match_user_b_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_match')),
    sa.UniqueConstraint('user_a_id', 'user_b_id', name=op.f('uq_member_match_user_a_id'))
    )
    with op.batch_alter_table('member_match', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_match_user_b_id'), ['user_b_id'], unique=False)

    op.create_table('member_profile',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('nickname', sa.String(length=32), nullable=False),
    sa.Column('city', sa.String(length=32), nullable=False),
    sa.Column('height_cm', sa.SmallInteger(), nullable=True),
    sa.Column('occupation', sa.String(length=64), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('answer_importance', sa.JSON(), nullable=False),
    sa.Column('wants_gender', sa.String(length=1), nullable=True),
    sa.Column('age_min', sa.SmallInteger(), nullable=False),
    sa.Column('age_max', sa.SmallInteger(), nullable=False),
    sa.Column('cities', sa.JSON(), nullable=False),
    sa.Column('min_education', sa.SmallInteger(), nullable=True),
    sa.Column('height_min', sa.SmallInteger(), nullable=True),
    sa.Column('height_max', sa.SmallInteger(), nullable=True),
    sa.Column('updated_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("wants_gender IN ('F', 'M')", name=op.f('ck_member_profile_wants_gender')),
    sa.CheckConstraint('age_min >= 18 AND age_min <= age_max', name=op.f('ck_member_profile_age_range')),
    sa.CheckConstraint('height_min IS NULL OR height_max IS NULL OR height_min <= height_max', name=op.f('ck_member_profile_height_range')),
    sa.CheckConstraint('min_education BETWEEN 1 AND 5', name=op.f('ck_member_profile_min_education')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_member_profile_user_id_user_account')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_member_profile'))
    )
    op.create_table('reaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_id', sa.Integer(), nullable=False),
    sa.Column('to_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('like', 'pass', name='reactionkind', native_enum=False, length=32), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('from_id <> to_id', name=op.f('ck_reaction_not_self')),
    sa.ForeignKeyConstraint(['from_id'], ['user_account.id'], name=op.f('fk_reaction_from_id_user_account')),
    sa.ForeignKeyConstraint(['to_id'], ['user_account.id'], name=op.f('fk_reaction_to_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reaction')),
    sa.UniqueConstraint('from_id', 'to_id', name=op.f('uq_reaction_from_id'))
    )
    with op.batch_alter_table('reaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reaction_to_id'), ['to_id'], unique=False)



def downgrade():
    with op.batch_alter_table('reaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reaction_to_id'))

    op.drop_table('reaction')
    op.drop_table('member_profile')
    with op.batch_alter_table('member_match', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_match_user_b_id'))

    op.drop_table('member_match')
    with op.batch_alter_table('member_block', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_block_blocked_id'))

    op.drop_table('member_block')
    op.drop_table('daily_suggestion')
