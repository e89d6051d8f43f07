"""Statistical models of customer lifetimes.

    sbg        the shifted-beta-geometric retention model (Fader & Hardie): fit, project, DERL
    survival   Kaplan-Meier curves by group, with confidence intervals
"""

from tenure.models.sbg import SBG, fit_sbg_json
from tenure.models.survival import kaplan_meier

__all__ = ["SBG", "fit_sbg_json", "kaplan_meier"]
