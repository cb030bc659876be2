"""hardening: photos, limits, odd input (issue 12)

Revision ID: j12photos001
Revises: j12dephealth
Create Date: 2026-12-04 02:00:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'j12photos001'
down_revision = 'j12dephealth'
branch_labels = None
depends_on = None


MAX_PHOTOS = 6


def _number_the_photos():
    """Give each photo a slot, the main one first, then oldest first. A member who got
    more than six through the old race keeps six (main, then oldest); the extra rows go
    (their files stay under PHOTO_DIR, unreferenced)."""
    connection = op.get_bind()
    photo = sa.table(
        'member_photo', sa.column('id'), sa.column('user_id'), sa.column('is_main'),
        sa.column('slot'),
    )
    rows = connection.execute(
        sa.select(photo.c.id, photo.c.user_id).order_by(
            photo.c.user_id, photo.c.is_main.desc(), photo.c.id
        )
    ).all()
    slots = {}
    for photo_id, user_id in rows:
        slot = slots[user_id] = slots.get(user_id, -1) + 1
        if slot < MAX_PHOTOS:
            connection.execute(photo.update().where(photo.c.id == photo_id).values(slot=slot))
        else:
            connection.execute(photo.delete().where(photo.c.id == photo_id))


def upgrade():
    with op.batch_alter_table('member_photo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slot', sa.SmallInteger(), nullable=True))
    _number_the_photos()
    with op.batch_alter_table('member_photo', schema=None) as batch_op:
        batch_op.alter_column('slot', existing_type=sa.SmallInteger(), nullable=False)
        batch_op.create_unique_constraint(op.f('uq_member_photo_user_id'), ['user_id', 'slot'])
        batch_op.create_check_constraint(
            op.f('ck_member_photo_slot_range'), 'slot >= 0 AND slot < 6'
        )


def downgrade():
    with op.batch_alter_table('member_photo', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_member_photo_slot_range'), type_='check')
        batch_op.drop_constraint(op.f('uq_member_photo_user_id'), type_='unique')
        batch_op.drop_column('slot')
