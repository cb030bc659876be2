"""Privacy: My data (我的数据), consent, the access log, deletion."""

from __future__ import annotations

from app.features import Feature
from app.privacy import bp
from app.privacy.my_data import AccessLogData

feature = Feature(
    name="privacy",
    blueprints=(bp,),
    models=("app.privacy.models",),
    my_data=AccessLogData(),
)
