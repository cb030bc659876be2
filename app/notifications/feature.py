"""Notifications (消息通知): the inbox every feature writes to."""

from __future__ import annotations

from app.features import Feature
from app.notifications import bp
from app.notifications.my_data import NotificationData

feature = Feature(
    name="notifications",
    blueprints=(bp,),
    models=("app.notifications.models",),
    my_data=NotificationData(),
)
