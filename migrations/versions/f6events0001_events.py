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
    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=80), nullable=False),
    sa.Column('category', sa.Enum('frisbee', 'murder_mystery', 'film', 'citywalk', 'lecture', 'other', name='eventcategory', native_enum=False, length=32), nullable=False),
    sa.Column('city', sa.String(length=16), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('gender_cap', sa.Integer(), nullable=True),
    sa.Column('signup_deadline', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cancel_deadline', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('checkin_code', sa.String(length=6), nullable=False),
    sa.Column('state', sa.Enum('published', 'cancelled', name='eventstate', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_event_capacity_positive')),
    sa.CheckConstraint('gender_cap IS NULL OR (gender_cap >= 1 AND gender_cap <= capacity)', name=op.f('ck_event_gender_cap_within_capacity')),
    sa.ForeignKeyConstraint(['organiser_id'], ['user_account.id'], name=op.f('fk_event_organiser_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_organiser_id'), ['organiser_id'], unique=False)
        batch_op.create_index('ix_event_state_starts_at', ['state', 'starts_at'], unique=False)

    op.create_table('event_signup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('confirmed', 'waitlisted', 'offered', 'cancelled', 'declined', 'expired', name='signupstate', native_enum=False, length=32), nullable=False),
    sa.Column('gender', sa.String(length=1), nullable=True),
    sa.Column('queued_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('offer_expires_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('checked_in_at', app.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_signup_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['user_account.id'], name=op.f('fk_event_signup_member_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_signup')),
    sa.UniqueConstraint('event_id', 'member_id', name=op.f('uq_event_signup_event_id'))
    )
    with op.batch_alter_table('event_signup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_signup_member_id'), ['member_id'], unique=False)
        batch_op.create_index('ix_event_signup_event_id_state', ['event_id', 'state'], unique=False)

    op.create_table('event_pick',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('picker_id', sa.Integer(), nullable=False),
    sa.Column('picked_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('picker_id <> picked_id', name=op.f('ck_event_pick_not_self')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_pick_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['picker_id'], ['user_account.id'], name=op.f('fk_event_pick_picker_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['picked_id'], ['user_account.id'], name=op.f('fk_event_pick_picked_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_pick')),
    sa.UniqueConstraint('event_id', 'picker_id', 'picked_id', name=op.f('uq_event_pick_event_id'))
    )
    with op.batch_alter_table('event_pick', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_pick_picker_id'), ['picker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_pick_picked_id'), ['picked_id'], unique=False)


def downgrade():
    with op.batch_alter_table('event_pick', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_pick_picked_id'))
        batch_op.drop_index(batch_op.f('ix_event_pick_picker_id'))

    op.drop_table('event_pick')
    with op.batch_alter_table('event_signup', schema=None) as batch_op:
        batch_op.drop_index('ix_event_signup_event_id_state')
        batch_op.drop_index(batch_op.f('ix_event_signup_member_id'))

    op.drop_table('event_signup')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_state_starts_at')
        batch_op.drop_index(batch_op.f('ix_event_organiser_id'))

    op.drop_table('event')
