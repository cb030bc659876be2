"""Demo photos: a drawn avatar for most demo members, stored through the real upload
path (decoded, re-encoded, thumbnailed), so cards and the photo pages show photos.

Every tenth member is left without one, to show a card with no photo.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw
from sqlalchemy import select

from app.extensions import db
from app.profiles import photos
from app.profiles.models import MemberPhoto, MemberProfile

SIDE = 600
PALETTES = [
    ((255, 214, 214), (214, 48, 49)),
    ((255, 236, 200), (230, 126, 34)),
    ((214, 240, 255), (41, 128, 185)),
    ((220, 247, 230), (39, 174, 96)),
    ((236, 224, 255), (142, 68, 173)),
    ((255, 228, 240), (232, 67, 147)),
]


def avatar(seed: int) -> bytes:
    """A PNG avatar: a two-colour gradient and a head-and-shoulders silhouette."""
    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    light, dark = rng.choice(PALETTES)
    image = Image.new("RGB", (SIDE, SIDE))
    draw = ImageDraw.Draw(image)
    for y in range(SIDE):
        t = y / (SIDE - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(light, dark, strict=True))
        draw.line([(0, y), (SIDE, y)], fill=colour)
    head = rng.randint(95, 120)
    centre_x = SIDE // 2 + rng.randint(-40, 40)
    centre_y = 230 + rng.randint(-20, 20)
    figure = (255, 255, 255)
    draw.ellipse([centre_x - head, centre_y - head, centre_x + head, centre_y + head], fill=figure)
    shoulders = rng.randint(190, 240)
    draw.ellipse(
        [centre_x - shoulders, centre_y + head + 20, centre_x + shoulders, SIDE + 260],
        fill=figure,
    )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def add_demo_photos() -> int:
    """A photo for demo members with a profile and no photo yet (idempotent). Flushes;
    returns how many were added."""
    with_photo = select(MemberPhoto.user_id)
    query = (
        select(MemberProfile.user_id)
        .where(MemberProfile.user_id.not_in(with_photo))
        .order_by(MemberProfile.user_id)
    )
    added = 0
    for user_id in db.session.scalars(query).all():
        if user_id % 10 == 0:
            continue
        photos.add(user_id, io.BytesIO(avatar(user_id)))
        added += 1
    return added
