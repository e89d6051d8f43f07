"""Time in the generator: whole days counted from the first day of history, plus seconds of the day.

Working in integer day offsets keeps every date computation a numpy operation; calendar arithmetic
(months, weekdays) goes through numpy's datetime64 only where the calendar matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

DAY_SECONDS = 86_400
NEVER = 1 << 40  # a day offset later than any history: "no such event"


@dataclass(frozen=True)
class Window:
    """The company's history: `days` days from `first` (a month start) to `last`, both inclusive."""

    first: np.datetime64
    last: np.datetime64

    @classmethod
    def ending(cls, end: date, months: int) -> Window:
        first_month = np.datetime64(end, "M") - (months - 1)
        return cls(first_month.astype("datetime64[D]"), np.datetime64(end, "D"))

    @property
    def days(self) -> int:
        return int((self.last - self.first).astype(int)) + 1

    @property
    def first_epoch_day(self) -> int:
        return int(self.first.astype("datetime64[D]").astype(np.int64))

    def month_index(self, day: np.ndarray) -> np.ndarray:
        """Calendar month of each day offset, as months since 1970-01."""
        return (self.first + np.asarray(day, dtype=np.int64)).astype("datetime64[M]").astype(np.int64)

    def month_start(self, month: np.ndarray) -> np.ndarray:
        """Day offset of the first day of a month given as months since 1970-01."""
        starts = np.asarray(month, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]")
        return (starts - self.first).astype(np.int64)

    def months(self) -> np.ndarray:
        """Every calendar month of the history, as months since 1970-01."""
        return np.arange(self.month_index(0), self.month_index(self.days - 1) + 1)

    def weekday(self, day: np.ndarray) -> np.ndarray:
        """0 = Monday .. 6 = Sunday."""
        return (self.first_epoch_day + np.asarray(day, dtype=np.int64) + 3) % 7

    def add_months(self, day: np.ndarray, months: np.ndarray, day_of_month: np.ndarray) -> np.ndarray:
        """The day `months` calendar months after `day`'s month, on `day_of_month` (1..28, so always valid)."""
        return self.month_start(self.month_index(day) + months) + day_of_month - 1

    def day_of_month(self, day: np.ndarray) -> np.ndarray:
        d = self.first + np.asarray(day, dtype=np.int64)
        return (d - d.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1

    def micros(self, day: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        """Instants as microseconds since the Unix epoch (UTC)."""
        day = np.asarray(day, dtype=np.int64)
        return ((self.first_epoch_day + day) * DAY_SECONDS + np.asarray(seconds, dtype=np.int64)) * 1_000_000

    @property
    def end_micros(self) -> int:
        """The instant history ends: midnight after the last day."""
        return int(self.micros(np.int64(self.days), np.int64(0)))
