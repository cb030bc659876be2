"""Quick match (每日速配): every morning each verified member gets a few suggestions.

``service`` loads members and history and stores the matcher's suggestions, ``tasks``
runs it nightly on Celery beat, ``flask quickmatch run`` runs it by hand.
"""
