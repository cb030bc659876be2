"""Profile photos: decoded and re-encoded with Pillow, never stored as uploaded.

An upload is read up to ``PHOTO_MAX_BYTES`` (5 MB), must decode as JPEG, PNG or WebP,
be at least ``MIN_SIDE`` pixels on each side and at most ``PHOTO_MAX_PIXELS`` (16 MP) in
all: the size is read from the header and a larger image is refused before any pixel
is decoded (a 40 KB PNG can claim 40 megapixels, 400 MB once decoded). A JPEG is
decoded reduced (``draft``: 1/2, 1/4 or 1/8 of its size, still above what is kept).
What is kept is a new JPEG drawn from the decoded pixels: turned upright by its EXIF
orientation, then written without any metadata (no EXIF, GPS, ICC, XMP or comments), no
larger than ``FULL_SIDE`` on its longest side, plus a square ``THUMB_SIDE`` thumbnail
for cards. Files live under ``PHOTO_DIR`` (default ``instance/photos``) and are named
by a random token.

A member has at most ``MAX_PHOTOS``: each photo holds one of the slots 0..5, and the
database refuses a second photo in a slot or a slot outside that range, so the cap
holds on every engine, whatever the timing of concurrent uploads.
"""

from __future__ import annotations

import io
import math
import os
import secrets
import warnings
from dataclasses import dataclass
from typing import IO

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.extensions import db
from app.locking import lock_rows
from app.profiles.models import MAX_PHOTOS, MemberPhoto
from app.profiles.settings import Settings

FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 16_000_000  # the default of PHOTO_MAX_PIXELS
MIN_SIDE = 200
FULL_SIDE = 1080
THUMB_SIDE = 480
QUALITY = 85
THUMB = "thumb"
FULL = "full"


class PhotoRefused(ValueError):
    """The upload cannot become a photo; ``message`` says why, for the member."""

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = message


TOO_LARGE = _l("The photo is larger than 5 MB. Choose a smaller one.")
NOT_AN_IMAGE = _l("This file is not a JPEG, PNG or WebP image.")
TOO_SMALL = _l("The photo is too small: at least 200 × 200 pixels.")
TOO_MANY = _l("You have 6 photos already. Delete one to add another.")


@dataclass(frozen=True)
class Encoded:
    """A re-encoded photo: the JPEG bytes of the full image and of the thumbnail."""

    full: bytes
    thumb: bytes
    width: int
    height: int


def _read_limited(stream: IO[bytes], limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise PhotoRefused(TOO_LARGE)
    return data


def too_many_pixels(max_pixels: int) -> str:
    return _l(
        "The photo has too many pixels: at most %(n)s megapixels. Choose a smaller one.",
        n=f"{max_pixels / 1_000_000:g}",
    )


def _needed(size: tuple[int, int]) -> tuple[int, int]:
    """The smallest size, in the image's proportions, that still gives the full photo
    (``FULL_SIDE`` on the long side) and the thumbnail (``THUMB_SIDE`` on the short)."""
    width, height = size
    scale = min(1.0, max(FULL_SIDE / max(size), THUMB_SIDE / min(size)))
    return math.ceil(width * scale), math.ceil(height * scale)


def _decode(data: bytes, max_pixels: int) -> Image.Image:
    """Open from the header, check the size, then decode (a JPEG reduced)."""
    with warnings.catch_warnings():
        # Pillow's own guard (Image.MAX_IMAGE_PIXELS) as an error, never a warning.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=sorted(FORMATS))  # lazy: header only
            if image.width * image.height > max_pixels:
                raise PhotoRefused(too_many_pixels(max_pixels))
            if min(image.size) < MIN_SIDE:
                raise PhotoRefused(TOO_SMALL)
            if image.format == "JPEG":
                image.draft(image.mode, _needed(image.size))
            image.load()
        except PhotoRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise PhotoRefused(too_many_pixels(max_pixels)) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise PhotoRefused(NOT_AN_IMAGE) from error
    return image


def _rgb(image: Image.Image) -> Image.Image:
    """Pixels only, on white where the image was transparent."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # Pillow would carry some of the original's metadata (the JPEG comment) over from
    # ``info``; with it empty and no exif=/icc_profile= given, none is written.
    image.info = {}
    image.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def encode(stream: IO[bytes], max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> Encoded:
    """Decode an upload and re-encode it; ``PhotoRefused`` says what is wrong with it."""
    image = _decode(_read_limited(stream, max_bytes), max_pixels)
    upright = _rgb(ImageOps.exif_transpose(image))
    full = upright.copy()
    full.thumbnail((FULL_SIDE, FULL_SIDE), Image.Resampling.LANCZOS)
    thumb = ImageOps.fit(upright, (THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return Encoded(_jpeg(full), _jpeg(thumb), full.width, full.height)


def photo_dir() -> str:
    """Where photo files are kept (``PHOTO_DIR``, else ``<instance>/photos``)."""
    folder = Settings.current().photo_dir or os.path.join(current_app.instance_path, "photos")
    os.makedirs(folder, exist_ok=True)
    return folder


def file_path(token: str, variant: str) -> str:
    suffix = "-thumb.jpg" if variant == THUMB else ".jpg"
    return os.path.join(photo_dir(), token + suffix)


def _write(path: str, data: bytes) -> None:
    partial = path + ".part"
    with open(partial, "wb") as handle:
        handle.write(data)
    os.replace(partial, path)


def photos_of(user_id: int) -> list[MemberPhoto]:
    """The member's photos, main first, then newest first."""
    query = (
        select(MemberPhoto)
        .where(MemberPhoto.user_id == user_id)
        .order_by(MemberPhoto.is_main.desc(), MemberPhoto.id.desc())
    )
    return list(db.session.scalars(query))


def _lock_photos(user_id: int) -> None:
    """One upload at a time per member until the transaction ends (the user's row is
    locked), so the main flag and the slot chosen stay right."""
    db.session.execute(lock_rows(select(User.id).where(User.id == user_id)))


def _free_slot(existing: list[MemberPhoto]) -> int:
    taken = {photo.slot for photo in existing}
    free = [slot for slot in range(MAX_PHOTOS) if slot not in taken]
    if not free:
        raise PhotoRefused(TOO_MANY)
    return free[0]


def _insert(photo: MemberPhoto) -> None:
    """Insert the row in a savepoint; the database refuses a taken or invalid slot."""
    try:
        with db.session.begin_nested():
            db.session.add(photo)
    except IntegrityError as error:
        raise PhotoRefused(TOO_MANY) from error


def add(user_id: int, stream: IO[bytes]) -> MemberPhoto:
    """Store a new photo for the member (the main one if it is the first). Flushes; the
    files are written once the row holds its slot (``discard`` them if the commit fails).

    Raises ``PhotoRefused`` for a bad file or a member at ``MAX_PHOTOS``; then
    nothing is written.
    """
    _free_slot(photos_of(user_id))  # refuse a seventh before spending time decoding it
    settings = Settings.current()
    encoded = encode(stream, settings.photo_max_bytes, settings.photo_max_pixels)
    _lock_photos(user_id)
    existing = photos_of(user_id)
    photo = MemberPhoto(
        user_id=user_id,
        token=secrets.token_urlsafe(16),
        slot=_free_slot(existing),
        width=encoded.width,
        height=encoded.height,
        is_main=not existing,
    )
    _insert(photo)
    _write(file_path(photo.token, FULL), encoded.full)
    _write(file_path(photo.token, THUMB), encoded.thumb)
    return photo


def discard(token: str) -> None:
    """Remove the files of a photo whose row was not kept (its commit failed)."""
    for variant in (FULL, THUMB):
        path = file_path(token, variant)
        if os.path.isfile(path):
            os.remove(path)


def remove_files(photo: MemberPhoto) -> None:
    discard(photo.token)


def delete(photo: MemberPhoto) -> None:
    """Delete a photo and its files; the newest remaining one becomes main. Flushes."""
    user_id, was_main = photo.user_id, photo.is_main
    db.session.delete(photo)
    db.session.flush()
    remove_files(photo)
    if was_main:
        remaining = photos_of(user_id)
        if remaining:
            remaining[0].is_main = True
            db.session.flush()


def make_main(photo: MemberPhoto) -> None:
    """The photo becomes the one on the member's card. Flushes."""
    db.session.execute(
        update(MemberPhoto)
        .where(MemberPhoto.user_id == photo.user_id, MemberPhoto.id != photo.id)
        .values(is_main=False)
    )
    photo.is_main = True
    db.session.flush()


def url(photo: MemberPhoto, variant: str = THUMB) -> str:
    return url_for("profiles.photo_file", token=photo.token, variant=variant)


def photo_urls(user_ids: list[int]) -> dict[int, str]:
    """The main photo's thumbnail URL of each member who has one."""
    if not user_ids:
        return {}
    query = select(MemberPhoto).where(
        MemberPhoto.user_id.in_(user_ids), MemberPhoto.is_main.is_(True)
    )
    return {photo.user_id: url(photo) for photo in db.session.scalars(query)}
