"""Shared shape of a benchmark result: a measured figure and its floor from the same run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """One benchmark figure and the floor it is compared with.

    ``higher_is_better`` is True for rates (packages/s, pages/s) and False for
    durations (ms). The ratio is always "how many times the floor" in the sense
    that 1.0x means as good as the floor and larger means slower/worse for
    durations, smaller means worse for rates.
    """

    name: str
    value: float
    unit: str
    floor: float
    higher_is_better: bool
    note: str = ""

    @property
    def ratio(self) -> float:
        if self.floor == 0:
            return float("inf")
        return self.value / self.floor

    def line(self) -> str:
        extra = f"  [{self.note}]" if self.note else ""
        return (
            f"{self.name}: {self.value:.3f} {self.unit} "
            f"({self.ratio:.2f}x vs floor {self.floor:.3f} {self.unit}){extra}"
        )
