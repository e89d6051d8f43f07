"""Health scores: scorecards evaluated in the engine over per-account signals (docs/health.md).

    scorecard.py   measures / score / to_green: pure functions of a signals table and [health]
    sources.py     which signals read a stale source on a day
    history.py     _health_history: today's snapshot on each refresh, the past replayed on a change
    diff.py        a changed scorecard against the current one: band moves and ARR affected
"""

from tenure.health.scorecard import BANDS, MEASURE_COLUMNS, SCORE_COLUMNS, band_of, measure_score, measures, score, to_green

__all__ = ["BANDS", "MEASURE_COLUMNS", "SCORE_COLUMNS", "band_of", "measure_score", "measures", "score", "to_green"]
