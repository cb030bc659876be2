"""Member profiles and photos."""

from __future__ import annotations

from app.features import Feature
from app.profiles import bp
from app.profiles.demo import seed_demo
from app.profiles.my_data import ProfileData
from app.profiles.settings import Settings

feature = Feature(
    name="profiles",
    settings=Settings,
    blueprints=(bp,),
    models=("app.profiles.models",),
    my_data=ProfileData(),
    demo=seed_demo,
)
