"""Profile photos: decoded, re-encoded without metadata, resized; bad files refused."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image, ImageFile
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.accounts.models import User
from app.extensions import db
from app.privacy.operations import delete_account
from app.profiles import photos
from app.profiles.models import MemberPhoto
from app.relations.models import Block
from tests.burst import burst, statuses
from tests.factories import PASSWORD
from tests.quickmatch_helpers import add_members, population


@pytest.fixture(autouse=True)
def english(app):
    """These tests read the English source strings: English is the default here."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


def image_bytes(
    fmt: str = "JPEG", size: tuple[int, int] = (1600, 1200), mode: str = "RGB", **save
) -> bytes:
    image = Image.new(mode, size, (200, 40, 60) if mode == "RGB" else (200, 40, 60, 128))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def with_exif(size: tuple[int, int] = (1600, 1200), orientation: int = 6) -> bytes:
    """A JPEG carrying GPS-like metadata and an orientation tag."""
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation: rotate 90° clockwise to show upright
    exif[0x010F] = "SecretCam"  # Make
    exif[0x9286] = "taken at home"  # UserComment-like text in the main IFD
    return image_bytes(size=size, exif=exif.tobytes(), comment=b"hidden comment")


@pytest.fixture
def members(app):
    return add_members(app, population(3, seed=11))


def sign_in(app, client, member_id: int) -> None:
    with app.app_context():
        phone = db.session.get(User, member_id).phone
    response = client.post("/account/signin", data={"phone": phone, "password": PASSWORD})
    assert response.status_code == 302


def upload(client, data: bytes, name: str = "me.jpg"):
    """POST a photo. The multipart body is built in memory: the test client would spool
    a large one to a temporary file it never closes."""
    boundary, body = encode_multipart(MultiDict({"photo": FileStorage(io.BytesIO(data), name)}))
    return client.post(
        "/profile/photos", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def status(client, url: str) -> int:
    """GET ``url`` and close the response (a served file stays open until then)."""
    response = client.get(url)
    response.close()
    return response.status_code


def photo_rows(app, member_id: int) -> list[MemberPhoto]:
    with app.app_context():
        db.session.expire_all()
        query = select(MemberPhoto).where(MemberPhoto.user_id == member_id)
        return list(db.session.scalars(query.order_by(MemberPhoto.id)))


def stored(app, photo: MemberPhoto, variant: str = photos.FULL) -> Image.Image:
    with app.test_request_context():
        path = photos.file_path(photo.token, variant)
    with open(path, "rb") as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# --- encoding (no HTTP) ---------------------------------------------------------


def test_encode_strips_metadata_turns_upright_and_resizes():
    encoded = photos.encode(io.BytesIO(with_exif()))
    full = Image.open(io.BytesIO(encoded.full))
    # Orientation 6 on a 1600x1200 landscape: upright it is portrait, then at most 1080.
    assert full.format == "JPEG" and full.size == (810, 1080)
    assert (encoded.width, encoded.height) == full.size
    assert not full.getexif() and "exif" not in full.info and "comment" not in full.info
    assert b"SecretCam" not in encoded.full and b"hidden comment" not in encoded.full
    thumb = Image.open(io.BytesIO(encoded.thumb))
    assert thumb.size == (photos.THUMB_SIDE, photos.THUMB_SIDE) and not thumb.getexif()


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_become_jpeg(fmt):
    encoded = photos.encode(io.BytesIO(image_bytes(fmt, size=(400, 300))))
    full = Image.open(io.BytesIO(encoded.full))
    assert full.format == "JPEG" and full.size == (400, 300)  # small ones are not enlarged


def test_transparent_png_is_put_on_white():
    encoded = photos.encode(io.BytesIO(image_bytes("PNG", size=(300, 300), mode="RGBA")))
    pixel = Image.open(io.BytesIO(encoded.full)).convert("RGB").getpixel((150, 150))
    assert pixel[0] > 200 and pixel[1] > 120  # red at half opacity over white: pinkish


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"just some text, named .jpg", photos.NOT_AN_IMAGE),
        (image_bytes("GIF", size=(300, 300)), photos.NOT_AN_IMAGE),
        (image_bytes("BMP", size=(300, 300)), photos.NOT_AN_IMAGE),
        (image_bytes()[:400], photos.NOT_AN_IMAGE),  # truncated JPEG
        (image_bytes(size=(150, 400)), photos.TOO_SMALL),
    ],
    ids=["text", "gif", "bmp", "truncated", "too-small"],
)
def test_bad_files_are_refused_with_their_reason(data, message):
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.encode(io.BytesIO(data))
    assert refused.value.message is message


def test_oversized_upload_is_refused_before_decoding():
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.encode(io.BytesIO(b"\xff" * 101), max_bytes=100)
    assert refused.value.message is photos.TOO_LARGE


def test_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # 48 megapixels in a few kilobytes
    bomb = out.getvalue()
    assert len(bomb) < photos.MAX_BYTES
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.encode(io.BytesIO(bomb))
    assert "too many pixels: at most 16 megapixels" in str(refused.value.message)


# --- pages ----------------------------------------------------------------------


def test_upload_stores_a_reencoded_main_photo_shown_on_the_card(app, client, members):
    me = members[0]
    sign_in(app, client, me)
    response = upload(client, with_exif())
    assert response.status_code == 302 and response.location.endswith("/profile/photos")
    (row,) = photo_rows(app, me)
    assert row.is_main and (row.width, row.height) == (810, 1080)
    assert not stored(app, row).getexif()
    page = client.get("/profile/").get_data(as_text=True)
    assert f"/profile/photos/{row.token}/thumb.jpg" in page
    served = client.get(f"/profile/photos/{row.token}/thumb.jpg")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.cache_control.private and not served.cache_control.public
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(served.data)).size == (photos.THUMB_SIDE,) * 2
    served.close()


@pytest.mark.parametrize(
    ("data", "name", "status", "message"),
    [
        (b"%PDF-1.4 not an image", "me.jpg", 400, "not a JPEG, PNG or WebP"),
        (image_bytes("GIF", size=(300, 300)), "me.gif", 400, "not a JPEG, PNG or WebP"),
        (image_bytes(size=(120, 120)), "me.jpg", 400, "too small"),
    ],
    ids=["fake-jpg", "gif", "tiny"],
)
def test_bad_uploads_are_refused_and_nothing_is_written(
    app, client, members, data, name, status, message
):
    sign_in(app, client, members[0])
    files_before = (
        set(os.listdir(app.config["PHOTO_DIR"]))
        if os.path.isdir(app.config["PHOTO_DIR"])
        else set()
    )
    response = upload(client, data, name)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert photo_rows(app, members[0]) == []
    assert set(os.listdir(app.config["PHOTO_DIR"])) == files_before


def test_upload_without_a_file_asks_for_one(app, client, members):
    sign_in(app, client, members[0])
    response = client.post("/profile/photos", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose a photo to upload." in response.get_data(as_text=True)


def test_file_over_5_mb_is_refused(app, client, members):
    sign_in(app, client, members[0])
    response = upload(client, b"\xff\xd8" + b"\0" * (photos.MAX_BYTES + 10))
    assert response.status_code == 413
    assert "larger than 5 MB" in response.get_data(as_text=True)
    assert photo_rows(app, members[0]) == []


def test_body_over_the_request_limit_gets_the_same_message(app_factory, members):
    app = app_factory(MAX_CONTENT_LENGTH=1024 * 1024)
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    client = app.test_client()
    sign_in(app, client, members[0])
    response = upload(client, b"\0" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert "larger than 5 MB" in response.get_data(as_text=True)


def test_at_most_six_photos(app, client, members):
    sign_in(app, client, members[0])
    small = image_bytes(size=(300, 300))
    for _ in range(photos.MAX_PHOTOS):
        assert upload(client, small).status_code == 302
    response = upload(client, small)
    assert response.status_code == 409
    assert "You have 6 photos already" in response.get_data(as_text=True)
    assert len(photo_rows(app, members[0])) == photos.MAX_PHOTOS


def test_make_main_and_delete_move_the_card_photo(app, client, members):
    me = members[0]
    sign_in(app, client, me)
    upload(client, image_bytes(size=(300, 300)))
    upload(client, image_bytes(size=(400, 400)))
    first, second = photo_rows(app, me)
    assert first.is_main and not second.is_main
    assert client.post(f"/profile/photos/{second.id}/main").status_code == 302
    first, second = photo_rows(app, me)
    assert second.is_main and not first.is_main
    with app.test_request_context():
        second_file = photos.file_path(second.token, photos.FULL)
    assert client.post(f"/profile/photos/{second.id}/delete").status_code == 302
    (left,) = photo_rows(app, me)
    assert left.id == first.id and left.is_main
    assert not os.path.exists(second_file)
    assert status(client, f"/profile/photos/{second.token}/full.jpg") == 404


def test_other_members_photo_ids_are_404_and_change_nothing(app, client, members):
    owner, other = members[0], members[1]
    sign_in(app, client, owner)
    upload(client, image_bytes(size=(300, 300)))
    (photo,) = photo_rows(app, owner)
    client.post("/account/signout")
    sign_in(app, client, other)
    assert client.post(f"/profile/photos/{photo.id}/delete").status_code == 404
    assert client.post(f"/profile/photos/{photo.id}/main").status_code == 404
    assert client.post("/profile/photos/999999/delete").status_code == 404
    assert [p.id for p in photo_rows(app, owner)] == [photo.id]
    # Seeing it is fine (it is on the owner's card) until one blocks the other.
    assert status(client, f"/profile/photos/{photo.token}/full.jpg") == 200
    with app.app_context():
        db.session.add(Block(blocker_id=owner, blocked_id=other))
        db.session.commit()
    assert status(client, f"/profile/photos/{photo.token}/full.jpg") == 404
    assert status(client, "/profile/photos/not-a-token/full.jpg") == 404
    assert status(client, f"/profile/photos/{photo.token}/original.jpg") == 404


def test_anonymous_visitors_cannot_fetch_photos(app, client, members):
    sign_in(app, client, members[0])
    upload(client, image_bytes(size=(300, 300)))
    (photo,) = photo_rows(app, members[0])
    anonymous = app.test_client()
    response = anonymous.get(f"/profile/photos/{photo.token}/thumb.jpg")
    response.close()
    assert response.status_code == 302 and "/account/signin" in response.location


def test_deleting_the_account_removes_photo_files(app, client, members):
    me = members[0]
    sign_in(app, client, me)
    upload(client, image_bytes(size=(300, 300)))
    (photo,) = photo_rows(app, me)
    with app.test_request_context():
        paths = [photos.file_path(photo.token, v) for v in (photos.FULL, photos.THUMB)]
        assert all(os.path.exists(p) for p in paths)
        delete_account(db.session.get(User, me))
        db.session.commit()
        count = db.session.scalar(select(func.count()).select_from(MemberPhoto))
    assert count == 0 and not any(os.path.exists(p) for p in paths)


# --- the pixel cap, decoding reduced ----------------------------------------------------


def big_png(size: tuple[int, int] = (6320, 6320)) -> bytes:
    """A 1-bit PNG: tens of kilobytes on the wire, hundreds of megabytes once decoded."""
    out = io.BytesIO()
    Image.new("1", size).save(out, "PNG")
    return out.getvalue()


def files_in(folder) -> set[str]:
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


def test_a_small_png_of_huge_dimensions_is_refused_before_decoding(
    app, client, members, monkeypatch
):
    data = big_png()
    assert len(data) < 100 * 1024
    decoded: list[tuple[int, int]] = []
    original = ImageFile.ImageFile.load

    def spy(image):
        decoded.append(image.size)
        return original(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    sign_in(app, client, members[0])
    before = files_in(app.config["PHOTO_DIR"])
    response = upload(client, data, "huge.png")
    assert response.status_code == 400
    assert "too many pixels: at most 16 megapixels" in response.get_data(as_text=True)
    assert (6320, 6320) not in decoded  # refused from the header, never decoded
    assert photo_rows(app, members[0]) == []
    assert files_in(app.config["PHOTO_DIR"]) == before


def test_the_pixel_cap_is_a_setting(app_factory, members):
    app = app_factory(PHOTO_MAX_PIXELS=250_000)
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    client = app.test_client()
    sign_in(app, client, members[0])
    assert upload(client, image_bytes("PNG", size=(500, 500))).status_code == 302
    over = upload(client, image_bytes("PNG", size=(501, 500)))
    assert over.status_code == 400
    assert "too many pixels: at most 0.25 megapixels" in over.get_data(as_text=True)
    assert len(photo_rows(app, members[0])) == 1


def test_a_large_jpeg_is_decoded_reduced_to_about_the_size_kept():
    data = image_bytes(size=(4800, 3200), quality=70)
    image = photos._decode(data, photos.MAX_PIXELS)
    # Scaled by 1/4 while decoding, still above the 1080 pixels kept on its long side.
    assert image.size == (1200, 800)
    narrow = photos._decode(image_bytes(size=(4000, 1000)), photos.MAX_PIXELS)
    assert narrow.size == (2000, 500)  # 1/2: the thumbnail needs 480 on the short side
    encoded = photos.encode(io.BytesIO(data))
    assert (encoded.width, encoded.height) == (1080, 720)


# --- limits and the six-photo cap under concurrent uploads -----------------------------


def test_uploads_and_deletions_are_limited_per_member(app_factory, members):
    app = app_factory(RATELIMIT_PHOTO="3 per hour")
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    client = app.test_client()
    sign_in(app, client, members[0])
    small = image_bytes(size=(300, 300))
    assert upload(client, small).status_code == 302
    assert upload(client, small).status_code == 302
    first, second = photo_rows(app, members[0])
    assert client.post(f"/profile/photos/{first.id}/delete").status_code == 302
    over = upload(client, small)
    assert over.status_code == 429
    assert "changed your photos many times" in over.get_data(as_text=True)
    refused = client.post(f"/profile/photos/{second.id}/delete")
    assert refused.status_code == 429
    assert [p.id for p in photo_rows(app, members[0])] == [second.id]
    other = app.test_client()  # another member has a count of their own
    sign_in(app, other, members[1])
    assert upload(other, small).status_code == 302


def with_photos(app, client, member_id: int, n: int) -> None:
    for _ in range(n):
        assert upload(client, image_bytes(size=(300, 300))).status_code == 302


def assert_six_and_no_orphans(app, answers, member_id: int, folder) -> None:
    found = statuses(answers)
    assert set(found) <= {302, 409}, found
    rows = photo_rows(app, member_id)
    assert len(rows) == photos.MAX_PHOTOS
    assert sorted(p.slot for p in rows) == list(range(photos.MAX_PHOTOS))
    assert sum(p.is_main for p in rows) == 1
    assert all("You have 6 photos already" in a.text for a in answers if a.status == 409)
    expected = {f"{p.token}{suffix}" for p in rows for suffix in (".jpg", "-thumb.jpg")}
    assert files_in(folder) == expected


def concurrent_uploads(app, client, n: int = 10):
    data = image_bytes(size=(600, 600))
    return burst(app, client, lambda c, i: upload(c, data), n)


def test_ten_concurrent_uploads_onto_four_photos_leave_exactly_six(app_factory, members, tmp_path):
    app = app_factory(PHOTO_DIR=str(tmp_path))
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    client = app.test_client()
    sign_in(app, client, members[0])
    with_photos(app, client, members[0], 4)
    answers = concurrent_uploads(app, client)
    assert statuses(answers) == {302: 2, 409: 8}
    assert_six_and_no_orphans(app, answers, members[0], tmp_path)


def test_without_the_lock_the_database_still_refuses_a_seventh(
    app_factory, members, tmp_path, monkeypatch
):
    """The slot constraint is what holds the cap: with the per-member lock gone, racing
    uploads collide on a slot and the database refuses the loser, never a seventh."""
    app = app_factory(PHOTO_DIR=str(tmp_path))
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    client = app.test_client()
    sign_in(app, client, members[0])
    with_photos(app, client, members[0], 5)
    monkeypatch.setattr(photos, "_lock_photos", lambda user_id: None)
    answers = concurrent_uploads(app, client)
    assert statuses(answers)[302] == 1
    assert_six_and_no_orphans(app, answers, members[0], tmp_path)


@pytest.mark.parametrize("slot", [6, -1])
def test_the_database_refuses_a_slot_outside_the_six(app, members, slot):
    with app.app_context():
        db.session.add(MemberPhoto(user_id=members[0], token="x", slot=slot, width=1, height=1))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_the_database_refuses_two_photos_in_one_slot(app, members):
    with app.app_context():
        for token in ("a", "b"):
            db.session.add(MemberPhoto(user_id=members[0], token=token, slot=2, width=1, height=1))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
