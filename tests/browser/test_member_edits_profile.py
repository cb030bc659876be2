"""A verified member edits the profile on a phone: nickname, interests and bio; uploads
a photo, which comes back re-encoded on the card; answers two values questions. A
fake image (a text file named .jpg) is refused with a message. The profile, edit,
photos and values pages pass the axe-core accessibility check at 360x740."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.profiles.models import MemberPhoto, MemberProfile
from tests.browser.conftest import SCREENSHOTS, check_accessibility
from tests.browser.journeys import phone_of, sign_in
from tests.quickmatch_helpers import add_members, population

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SHOTS_DIR", SCREENSHOTS))


def portrait(tmp_path: Path) -> Path:
    """A JPEG from a 'camera': EXIF with the maker's name, sideways orientation."""
    image = Image.new("RGB", (900, 1200), (230, 120, 140))
    for x in range(300, 600):
        for y in range(250, 550, 3):
            image.putpixel((x, y), (255, 255, 255))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    path = tmp_path / "portrait.jpg"
    path.write_bytes(out.getvalue())
    return path


def test_member_edits_profile_uploads_photo_and_answers_values(
    page: Page,
    live_server: str,
    built_apps,
    tmp_path: Path,
):
    (app,) = built_apps
    (member,) = add_members(app, population(1, seed=21))
    with app.app_context():
        answers_before = dict(db.session.get(MemberProfile, member).answers)
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, phone_of(app, member))

    page.goto(live_server + "/profile/")
    check_accessibility(page, "40-profile")
    page.get_by_role("link", name="Edit my profile").click()
    page.get_by_label("Nickname").fill("晓雨")
    # Interests are toggle chips over native checkboxes: untick all, tick two.
    interests = page.get_by_role("group", name="Interests")
    for chip in interests.locator("input[type=checkbox]").all():
        chip.set_checked(False)
    interests.locator('input[value="旅行"]').check()
    interests.locator('input[value="咖啡"]').check()
    expect(interests.locator("input:checked")).to_have_count(2)
    expect(interests).to_contain_text("2 of 8 chosen")
    page.get_by_label("About me").fill("喜欢周末去西湖边散步，也爱做饭。")
    check_accessibility(page, "41-profile-edit")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash, [role=status]").first).to_contain_text("Your profile is saved.")
    expect(page.get_by_role("main")).to_contain_text("晓雨")
    expect(page.get_by_role("main")).to_contain_text("喜欢周末去西湖边散步")

    # A text file dressed as a JPEG is refused, with the reason next to the field.
    page.get_by_role("link", name="My photos").click()
    fake = tmp_path / "fake.jpg"
    fake.write_text("not a picture at all")
    page.get_by_label("Photo (JPEG, PNG or WebP, up to 5 MB)").set_input_files(str(fake))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("not a JPEG, PNG or WebP image")

    # A real photo is taken, and shows on the card.
    page.get_by_label("Photo (JPEG, PNG or WebP, up to 5 MB)").set_input_files(
        str(portrait(tmp_path))
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".photo-grid img")).to_have_count(1)
    expect(page.get_by_role("main")).to_contain_text("Main photo")
    check_accessibility(page, "42-photos")
    page.goto(live_server + "/profile/")
    photo = page.locator("img.profile-card-photo")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 480
    page.screenshot(path=str(SHOTS / "profile-with-photo.png"), full_page=True)

    # Two values questions changed; the other answers stay.
    # One group of questions a screen; each question once, its answers a radio group.
    page.get_by_role("link", name="My values").click()
    kids = page.get_by_role("group", name="Do you want children one day?")
    smoking = page.get_by_role("group", name="Could you accept a partner who smokes?")
    expect(smoking).to_be_hidden()
    kids.locator('input[name="answer_kids"][value="4"]').check()
    check_accessibility(page, "43-values")
    page.get_by_role("button", name="Next").click()
    expect(kids).to_be_hidden()
    smoking.locator('input[name="answer_smoking"][value="1"]').check()
    check_accessibility(page, "43-values-step-2")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash, [role=status]").first).to_contain_text("Your answers are saved.")

    with app.app_context():
        profile = db.session.get(MemberProfile, member)
        assert profile.nickname == "晓雨" and profile.tags == ["旅行", "咖啡"]
        assert profile.answers == {**answers_before, "kids": 4, "smoking": 1}
        assert len(list(db.session.scalars(select(MemberPhoto)))) == 1
