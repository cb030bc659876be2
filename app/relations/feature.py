"""Relations between members: the blocks and matches tables, and "matched" as an
acquaintance (see app/relations/queries.py)."""

from __future__ import annotations

from app.features import Feature
from app.relations import queries
from app.relations.my_data import RelationsData

feature = Feature(
    name="relations",
    models=("app.relations.models",),
    acquaintances=(queries.matched,),
    my_data=RelationsData(),
)
