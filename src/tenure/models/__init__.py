"""Statistical models of customer lifetimes.

    sbg        the shifted-beta-geometric retention model (Fader & Hardie): fit, fit_cohorts, project, DERL
    cohorts    signup cohorts as sBG survival tables, built in the engine from the movement ledger
    survival   Kaplan-Meier curves by group, with confidence intervals, and their summary
    durations  per-customer durations for Kaplan-Meier, built in the engine
    plot       Kaplan-Meier curves drawn to PNG or SVG
    churn      a calibrated churn model over point-in-time signals, with per-account drivers (scikit-learn)
"""

from tenure.models.sbg import SBG, fit_sbg_json
from tenure.models.survival import kaplan_meier, survival_summary

__all__ = ["SBG", "fit_sbg_json", "kaplan_meier", "survival_summary"]
