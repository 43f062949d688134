"""Plausible Indonesian names by regional flavour (lists in ``data/names.json``)."""

from __future__ import annotations

import random
from itertools import accumulate
from typing import Any

from jamsos.demo.population.calibration import names_data


class NameMaker:
    """Makes a person's name from the flavour mix of the province their NIK was issued in."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        data = data or names_data()
        self.flavours: dict[str, dict[str, Any]] = data["flavours"]
        self.mix: dict[str, tuple[list[str], list[float]]] = {}
        for province, weights in data["province_mix"].items():
            names = sorted(weights)
            self.mix[province] = (names, list(accumulate(weights[n] for n in names)))
        self.default = ["javanese", "nusantara", "sundanese", "malay"]
        self.default_cum = list(accumulate([0.5, 0.2, 0.15, 0.15]))

    def make(self, rng: random.Random, province_code: str, sex: str) -> str:
        names, cum = self.mix.get(province_code, (self.default, self.default_cum))
        flavour = self.flavours[rng.choices(names, cum_weights=cum)[0]]
        male = sex == "M"
        given = rng.choice(flavour["male" if male else "female"])
        pattern = flavour["pattern"]
        if pattern == "given_family":
            return f"{given} {rng.choice(flavour['family'])}"
        parts: list[str] = []
        if pattern == "balinese":
            parts.append(flavour["prefix_male" if male else "prefix_female"][0])
            parts.append(rng.choice(flavour["birth_order"]))
        elif rng.random() < flavour.get("prefix_share", 0.0):
            parts.append(rng.choice(flavour["prefix_male" if male else "prefix_female"]))
        parts.append(given)
        if rng.random() < flavour.get("second_share", 0.0):
            second = rng.choice(flavour["second_male" if male else "second_female"])
            if second != given:
                parts.append(second)
        return " ".join(parts)
