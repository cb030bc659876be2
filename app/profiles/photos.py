"""Profile photos: decoded and re-encoded with Pillow, never stored as uploaded.

An upload is read up to ``PHOTO_MAX_BYTES`` (5 MB), must decode as JPEG, PNG or WebP
and be at least ``MIN_SIDE`` pixels on each side. What is kept is a new JPEG drawn
from the decoded pixels: turned upright by its EXIF orientation, then written without
any metadata (no EXIF, GPS, ICC, XMP or comments), no larger than ``FULL_SIDE`` on
its longest side, plus a square ``THUMB_SIDE`` thumbnail for cards. Files live under
``PHOTO_DIR`` (default ``instance/photos``) and are named by a random token.
"""

from __future__ import annotations

import io
import os
import secrets
import warnings
from dataclasses import dataclass
from typing import IO

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select, update

from app.accounts.models import User
from app.extensions import db
from app.profiles.models import MemberPhoto

FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # larger images are refused before they are decoded
MIN_SIDE = 200
FULL_SIDE = 1080
THUMB_SIDE = 480
MAX_PHOTOS = 6
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
TOO_MANY_PIXELS = _l("The photo has too many pixels (at most 40 megapixels).")
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


def _decode(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=sorted(FORMATS))
            if image.width * image.height > MAX_PIXELS:
                raise PhotoRefused(TOO_MANY_PIXELS)
            image.load()
        except PhotoRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise PhotoRefused(TOO_MANY_PIXELS) from error
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


def encode(stream: IO[bytes], max_bytes: int = MAX_BYTES) -> Encoded:
    """Decode an upload and re-encode it; ``PhotoRefused`` says what is wrong with it."""
    image = _decode(_read_limited(stream, max_bytes))
    if min(image.size) < MIN_SIDE:
        raise PhotoRefused(TOO_SMALL)
    upright = _rgb(ImageOps.exif_transpose(image))
    full = upright.copy()
    full.thumbnail((FULL_SIDE, FULL_SIDE), Image.Resampling.LANCZOS)
    thumb = ImageOps.fit(upright, (THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return Encoded(_jpeg(full), _jpeg(thumb), full.width, full.height)


def photo_dir() -> str:
    """Where photo files are kept (``PHOTO_DIR``, else ``<instance>/photos``)."""
    folder = current_app.config.get("PHOTO_DIR") or os.path.join(
        current_app.instance_path, "photos"
    )
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


def add(user_id: int, stream: IO[bytes]) -> MemberPhoto:
    """Store a new photo for the member (the main one if it is the first). Flushes.

    Raises ``PhotoRefused`` for a bad file or a member at ``MAX_PHOTOS``; then
    nothing is written.
    """
    # One upload at a time per member: the count and the main flag stay right.
    db.session.execute(select(User.id).where(User.id == user_id).with_for_update())
    existing = photos_of(user_id)
    if len(existing) >= MAX_PHOTOS:
        raise PhotoRefused(TOO_MANY)
    encoded = encode(stream, current_app.config.get("PHOTO_MAX_BYTES", MAX_BYTES))
    token = secrets.token_urlsafe(16)
    _write(file_path(token, FULL), encoded.full)
    _write(file_path(token, THUMB), encoded.thumb)
    photo = MemberPhoto(
        user_id=user_id,
        token=token,
        width=encoded.width,
        height=encoded.height,
        is_main=not existing,
    )
    db.session.add(photo)
    db.session.flush()
    return photo


def remove_files(photo: MemberPhoto) -> None:
    for variant in (FULL, THUMB):
        path = file_path(photo.token, variant)
        if os.path.isfile(path):
            os.remove(path)


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
