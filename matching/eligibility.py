"""Hard requirements, both ways, as vectorised masks over rows of ``Columns``.

Each requirement is a comparison of one side's preference column with the other's
attribute column, so a whole block of pairs is checked with a handful of array passes:
``rows_a`` and ``rows_b`` either broadcast against each other (a group of viewers as a
column, a candidate pool as a row) or are paired arrays of equal length.

Unknown values: a None (0) height or education fails a set requirement on it; an unset
requirement (0) accepts everyone. To do that in one comparison, the upper height bound
compares an "effective height" in which an unknown height is taller than anyone, and
an unset bound is taller still.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from matching.columns import Columns, has_bit

_NO_BOUND = np.int16(32767)  # an unset upper height bound
_UNKNOWN_TALL = np.int16(32766)  # an unknown height, against an upper bound


@dataclass(eq=False)
class Requirements:
    """The columns the checks need, with ages for one day."""

    age: np.ndarray  # int16
    age_min: np.ndarray
    age_max: np.ndarray
    gender: np.ndarray
    wanted: np.ndarray
    city: np.ndarray
    city_mask: np.ndarray
    any_city: np.ndarray
    education: np.ndarray
    min_education: np.ndarray
    height: np.ndarray  # 0 unknown: fails any height_min (which is >= 1)
    height_for_max: np.ndarray  # unknown heights as _UNKNOWN_TALL
    height_min: np.ndarray
    height_max: np.ndarray  # unset as _NO_BOUND
    _accepting: dict[int, np.ndarray] = field(default_factory=dict)

    @classmethod
    def on(cls, columns: Columns, day: date) -> Requirements:
        height = columns.height
        return cls(
            age=columns.age_on(day),
            age_min=columns.age_min,
            age_max=columns.age_max,
            gender=columns.gender,
            wanted=columns.wanted,
            city=columns.city,
            city_mask=columns.city_mask,
            any_city=columns.any_city,
            education=columns.education,
            min_education=columns.min_education,
            height=height,
            height_for_max=np.where(height > 0, height, _UNKNOWN_TALL).astype(np.int16),
            height_min=columns.height_min,
            height_max=np.where(columns.height_max > 0, columns.height_max, _NO_BOUND).astype(
                np.int16
            ),
        )

    def meets(
        self, wisher: np.ndarray, other: np.ndarray, gender_and_city: bool = True
    ) -> np.ndarray:
        """Does ``other`` meet ``wisher``'s requirements? Row arrays broadcast.

        ``gender_and_city=False`` leaves out the wanted gender and the cities, for blocks
        of pairs built so that those hold (``matching.candidates``).
        """
        age = self.age[other]
        ok = age >= self.age_min[wisher]
        ok &= age <= self.age_max[wisher]
        ok &= self.education[other] >= self.min_education[wisher]
        ok &= self.height[other] >= self.height_min[wisher]
        ok &= self.height_for_max[other] <= self.height_max[wisher]
        if gender_and_city:
            ok &= self.gender[other] == self.wanted[wisher]
            ok &= self.accepts_city(wisher, self.city[other])
        return ok

    def accepting(self, city: int) -> np.ndarray:
        """Every member: would they accept a partner living in ``city``? (cached)"""
        found = self._accepting.get(city)
        if found is None:
            found = self.any_city | has_bit(self.city_mask, city)
            self._accepting[city] = found
        return found

    def accepts_city(self, wisher: np.ndarray, city: np.ndarray | int) -> np.ndarray:
        """Does ``wisher`` accept a partner living in ``city``? (broadcasting)"""
        wisher, city = np.broadcast_arrays(np.asarray(wisher), np.asarray(city))
        flat = has_bit(self.city_mask[wisher.ravel()], city.ravel()).reshape(wisher.shape)
        return self.any_city[wisher] | flat

    def mutual(self, a: np.ndarray, b: np.ndarray, gender_and_city: bool = True) -> np.ndarray:
        """Both ways, and not the same member."""
        ok = self.meets(a, b, gender_and_city)
        ok &= self.meets(b, a, gender_and_city)
        ok &= a != b
        return ok
