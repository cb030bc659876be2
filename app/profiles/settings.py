"""Profile settings: where photos live, how large an upload may be, how often."""

from __future__ import annotations

from dataclasses import dataclass

from app.settings import FeatureSettings, optional, positive, rate_limit, setting


@dataclass(frozen=True)
class Settings(FeatureSettings):
    # Where the re-encoded photo files live (None: <instance>/photos).
    photo_dir: str | None = setting("PHOTO_DIR", None, optional(str))
    photo_max_bytes: int = setting(
        "PHOTO_MAX_BYTES", 5 * 1024 * 1024, int, positive, "must be a positive number of bytes"
    )
    # Larger images are refused from their header, before they are decoded.
    photo_max_pixels: int = setting(
        "PHOTO_MAX_PIXELS", 16_000_000, int, positive, "must be a positive number of pixels"
    )
    photo_limit: str = setting(  # uploads and deletions, per member
        "RATELIMIT_PHOTO", "20 per hour", rate_limit, rule="must be a rate limit"
    )
