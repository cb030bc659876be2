"""Accounts: sign-up, sign-in, device sessions, SMS codes."""

from __future__ import annotations

from app.accounts import bp, sms
from app.accounts.my_data import AccountData
from app.accounts.settings import Settings
from app.features import Feature

feature = Feature(
    name="accounts",
    settings=Settings,
    blueprints=(bp,),
    models=("app.accounts.models",),
    tasks=("app.accounts.tasks",),
    init_app=sms.init_app,
    my_data=AccountData(),
)
