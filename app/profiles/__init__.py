"""Member profiles (个人资料): what a verified member tells about themselves and wants.

Gender and birth date come from the approved verification case, education from the
verified education fact; a member never types them. The pages, photos and badges
are in ``routes``.

The pages: the member's own profile and preferences, photos, verified badges.
"""

from flask import Blueprint

bp = Blueprint("profiles", __name__, template_folder="templates", url_prefix="/profile")

from app.profiles import onboarding, routes  # noqa: E402, F401
