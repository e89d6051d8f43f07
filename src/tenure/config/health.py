"""`[health]` and `[[health.scorecards]]`: health scorecards as code (docs/health.md).

    [health]                            bands, confidence, staleness, history
    [[health.scorecards]]               name, applies_to (a condition; none = the default scorecard)
    [[health.scorecards.categories]]    name, weight, measures = [{ signal, weight, red/green | bands | values }]

Every reference is checked when tenure.toml is read against the day's signals
(tenure.vocabulary.scopes.day; tenure.journey.day_signals computes them): each measure's signal (and its
kind against the signal's type), each `applies_to` condition. The problems are pydantic errors located
at the measure or condition, so read_settings reports all of them at once with their lines.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tenure.conditions import SignalType
from tenure.config.checks import MAX_DAYS, in_vocabulary, require_unique
from tenure.vocabulary import scopes
from tenure.vocabulary.check import check_condition_text, type_of

CADENCES = ("day", "week")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)


class Band(_Section):
    """One band of a banded measure: values below `below` (and not in an earlier band) score `score`."""

    below: float | None = Field(None, description="Upper bound, excluded; the last band has none (every value above).")
    score: float = Field(ge=0, le=100, description="The measure's score (0..100) for values in the band.")


class Measure(_Section):
    """A measure reads one signal and maps it to 0..100: linearly between `red` (0) and `green` (100),
    by `bands`, or for text and true/false signals by a `values` map. Exactly one of the three."""

    signal: str = Field(description="The per-account signal it reads (docs/health.md lists them).")
    weight: float = Field(1.0, gt=0, description="Its weight within its category.")
    red: float | None = Field(None, description="Linear: the value scoring 0 (red above green: lower is better).")
    green: float | None = Field(None, description="Linear: the value scoring 100; between them the score is linear.")
    bands: list[Band] | None = Field(None, description="Banded: [{below = .., score = ..}, ..., {score = ..}], ascending.")
    values: dict[str, float] | None = Field(None, description="For text or true/false signals: value -> score.")

    @model_validator(mode="after")
    def _one_mapping(self) -> "Measure":
        linear = self.red is not None or self.green is not None
        chosen = [linear, self.bands is not None, self.values is not None]
        if sum(chosen) != 1:
            raise ValueError("set exactly one of red and green, bands, or values")
        if linear and (self.red is None or self.green is None):
            raise ValueError("a linear measure needs both red and green")
        if linear and self.red == self.green:
            raise ValueError(f"red and green are both {self.red}; they must differ")
        if self.bands is not None:
            _check_bands(self.bands)
        if self.values is not None:
            if not self.values:
                raise ValueError("values needs at least one value -> score")
            wrong = {k: v for k, v in self.values.items() if not 0 <= v <= 100}
            if wrong:
                raise ValueError(f"scores must be 0..100; got {wrong}")
        self._check_signal()
        return self

    def _check_signal(self) -> None:
        kind = in_vocabulary(type_of, self.signal, scopes.day)
        wants_number = self.values is None
        if wants_number and kind != SignalType.NUMBER:
            raise ValueError(f"'{self.signal}' is {kind.value}; red/green and bands need a number (use values)")
        if not wants_number and kind not in (SignalType.TEXT, SignalType.BOOLEAN):
            raise ValueError(f"'{self.signal}' is a {kind.value}; values maps text or true/false (use red/green or bands)")
        if kind == SignalType.BOOLEAN and self.values is not None and set(self.values) - {"true", "false"}:
            raise ValueError(f"'{self.signal}' is true/false; its values are \"true\" and \"false\"")

    @property
    def kind(self) -> str:
        return "linear" if self.red is not None else "bands" if self.bands is not None else "values"


def _check_bands(bands: list[Band]) -> None:
    if not bands:
        raise ValueError("bands needs at least one band")
    bounds = [b.below for b in bands[:-1]]
    if any(b is None for b in bounds):
        raise ValueError("only the last band may leave out below")
    if bands[-1].below is not None:
        raise ValueError("the last band has no below: it scores every value from the previous bound up")
    if any(later <= earlier for earlier, later in zip(bounds, bounds[1:])):
        raise ValueError(f"band bounds must ascend; got {bounds}")


class Category(_Section):
    """A group of measures (usage, adoption, support, voice, revenue, engagement, relationship, ...)."""

    name: str = Field(description="The category's name, unique within its scorecard.")
    weight: float = Field(1.0, gt=0, description="Its weight within the scorecard.")
    measures: list[Measure] = Field(description="Its measures: inline tables, each a signal and a mapping.")

    @field_validator("measures")
    @classmethod
    def _some(cls, value: list[Measure]) -> list[Measure]:
        if not value:
            raise ValueError("a category needs at least one measure")
        signals = [m.signal for m in value]
        repeated = sorted({s for s in signals if signals.count(s) > 1})
        if repeated:
            raise ValueError(f"a signal is measured once per category; repeated: {', '.join(repeated)}")
        return value


class Scorecard(_Section):
    """A scorecard: weighted categories of measures. The first scorecard whose applies_to holds for an
    account scores it; one without applies_to is the default, for every account no other matches."""

    name: str = Field(description="The scorecard's name, unique.")
    applies_to: str | None = Field(None, description="A condition over signals (docs/playbooks.md), e.g. 'segment == \"enterprise\"'.")
    categories: list[Category] = Field(description="[[health.scorecards.categories]] tables.")

    @field_validator("applies_to")
    @classmethod
    def _condition(cls, value: str | None) -> str | None:
        if value is not None:
            in_vocabulary(check_condition_text, value, scopes.day)
        return value

    @field_validator("categories")
    @classmethod
    def _categories(cls, value: list[Category]) -> list[Category]:
        if not value:
            raise ValueError("a scorecard needs at least one category")
        require_unique((c.name for c in value), "category")
        return value


def _linear(signal: str, red: float, green: float, weight: float = 1.0) -> Measure:
    return Measure(signal=signal, red=red, green=green, weight=weight)


def default_scorecards() -> list[Scorecard]:
    """One scorecard for paying accounts (an account no scorecard applies to is not scored), on signals
    the demo company has (docs/health.md explains each)."""
    return [Scorecard(name="customers", applies_to="mrr > 0", categories=[
        Category(name="usage", weight=30, measures=[
            _linear("active_days_30d", 8, 22, weight=2),
            _linear("days_since_active", 14, 2),
            _linear("login_trend", -0.5, 0.1),
        ]),
        Category(name="adoption", weight=20, measures=[_linear("breadth", 0.3, 0.8), _linear("seat_utilisation", 0.3, 0.8)]),
        Category(name="support", weight=15, measures=[
            Measure(signal="open_tickets", bands=[Band(below=1, score=100), Band(below=3, score=60),
                                                  Band(below=6, score=30), Band(score=0)]),
            _linear("tickets_30d", 6, 1),
        ]),
        Category(name="voice", weight=15, measures=[_linear("nps", -50, 50), _linear("csat", 0.6, 0.9)]),
        Category(name="revenue", weight=10, measures=[
            _linear("mrr_trend", -0.2, 0.05),
        ]),
        Category(name="engagement", weight=10, measures=[
            _linear("open_rate_30d", 0.1, 0.6), _linear("click_rate_30d", 0.0, 0.2),
        ]),
    ])]


class HealthSettings(_Section):
    """Health scores (docs/health.md): colour bands, confidence, history, and the scorecards."""

    red_below: float = Field(40, gt=0, le=100, description="A score below this is red.")
    green_from: float = Field(70, gt=0, le=100, description="A score from this up is green; in between, yellow.")
    min_confidence: float = Field(
        0.6, ge=0, le=1, description="Below this share of present measure weight a score is low-confidence."
    )
    stale_after_days: int = Field(
        7, ge=0, le=MAX_DAYS, description="A source (events, tickets, surveys, messages) without a row for this many days is stale."
    )
    history_days: int = Field(90, ge=0, le=MAX_DAYS, description="`tenure refresh` replays scores over this many past days.")
    history_cadence: str = Field("week", description="Replay every day or every week (ending today); today is always scored.")
    scorecards: list[Scorecard] = Field(
        default_factory=default_scorecards, description="[[health.scorecards]] tables; the first that applies wins."
    )

    @field_validator("history_cadence")
    @classmethod
    def _cadence(cls, value: str) -> str:
        if value not in CADENCES:
            raise ValueError(f"'{value}' is not a cadence; use {' or '.join(CADENCES)}")
        return value

    @field_validator("scorecards")
    @classmethod
    def _scorecards(cls, value: list[Scorecard]) -> list[Scorecard]:
        require_unique((s.name for s in value), "scorecard")
        defaults = [s.name for s in value if s.applies_to is None]
        if len(defaults) > 1:
            # The first default catches every account left, so a second one could never apply.
            raise ValueError(f"only one scorecard may leave out applies_to; these do: {', '.join(defaults)}")
        return value

    @model_validator(mode="after")
    def _bands_order(self) -> "HealthSettings":
        if self.red_below > self.green_from:
            raise ValueError(f"red_below ({self.red_below}) must not be above green_from ({self.green_from})")
        return self
