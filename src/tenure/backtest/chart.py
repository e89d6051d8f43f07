"""The backtest drawn to a PNG or SVG file: churn rate by band, calibration, survival by band."""

from __future__ import annotations

from pathlib import Path

from tenure.models.plot import check_plot_path, write_figure

BAND_COLOURS = {"red": "#d62728", "yellow": "#e6b400", "green": "#2ca02c"}


def check_chart_path(path: str | Path) -> Path:
    return check_plot_path(path, "chart")


def draw_backtest(result, path: str | Path) -> Path:
    """Three panels from a Backtest: churn rate per band (with lift), observed churn by risk decile (and
    the model's predicted against observed on the test snapshots), Kaplan-Meier survival per band
    (chart_series)."""
    path = check_chart_path(path)
    # Imported here: matplotlib costs most of a second, and only --chart needs it; Agg needs no display.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (bands, deciles, survival) = plt.subplots(1, 3, figsize=(15, 4.5))
    try:
        rows = result.by_band.to_pylist()
        colours = [BAND_COLOURS.get(r["band"], "#7f7f7f") for r in rows]
        bars = bands.bar([r["band"] for r in rows], [r["churn_rate"] or 0 for r in rows], color=colours)
        for bar, r in zip(bars, rows):
            bands.annotate(f"lift {r['lift']:.1f}x" if r["lift"] is not None else "", (bar.get_x() + bar.get_width() / 2,
                           bar.get_height()), ha="center", va="bottom", fontsize="small")
        bands.set_title(f"churn within {result.horizon_days} days, by band (AUC {_auc(result.auc)})")
        bands.set_ylabel("share of customer-snapshots that churned")

        series = chart_series(result)
        for label, (x, y) in series["calibration"].items():
            deciles.plot(x, y, **_CALIBRATION_STYLE[label], label=label)
        deciles.set_xlabel("risk decile (10 = riskiest: lowest score, highest probability)")
        deciles.set_ylabel("churn rate")
        deciles.set_title("calibration")
        deciles.legend(fontsize="small")

        for band, (x, y) in series["survival"].items():
            survival.step(x, y, where="post", label=band, color=BAND_COLOURS.get(band))
        survival.set_xlabel("days after the snapshot")
        survival.set_ylabel("still a customer (Kaplan-Meier)")
        survival.set_title("time to churn by band")
        survival.legend(fontsize="small")
        figure.tight_layout()
        write_figure(figure, path, "chart")
    finally:
        plt.close(figure)
    return path


_CALIBRATION_STYLE = {
    "scorecard: observed": {"marker": "o"},
    "model (test): observed": {"marker": "s"},
    "model (test): predicted": {"linestyle": "--"},
}


def chart_series(result) -> dict[str, dict[str, tuple[list, list]]]:
    """The lines of the calibration and survival panels, as (x, y) by label.

    Calibration on one axis for both: risk deciles, 10 the riskiest. The scorecard's deciles rank the
    score (1 = lowest, the riskiest), the model's the probability (1 = lowest, the safest), so the
    scorecard's are turned round (n + 1 - decile); a good scorecard and a good model then both rise.
    Survival: each band's whole Kaplan-Meier curve from (0, 1), a step at every time it has."""
    cal = result.calibration.to_pylist()
    n = max((c["decile"] for c in cal), default=0)
    scorecard = sorted((n + 1 - c["decile"], c["churn_rate"]) for c in cal)
    calibration = {"scorecard: observed": ([x for x, _ in scorecard], [y for _, y in scorecard])}
    if result.model_calibration is not None:
        model = result.model_calibration.to_pylist()
        x = [c["decile"] for c in model]
        calibration["model (test): observed"] = (x, [c["churn_rate"] for c in model])
        calibration["model (test): predicted"] = (x, [c["mean_probability"] for c in model])
    curves = (result.survival_curve if result.survival_curve is not None else result.survival).to_pylist()
    survival = {}
    for band in dict.fromkeys(c["band"] for c in curves):
        points = [(c["days"], c["survival"]) for c in curves if c["band"] == band]
        if not points or points[0][0] != 0:
            points = [(0, 1.0), *points]
        survival[band] = ([p[0] for p in points], [p[1] for p in points])
    return {"calibration": calibration, "survival": survival}


def _auc(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
