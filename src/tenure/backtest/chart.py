"""The backtest drawn to a PNG or SVG file: churn rate by band, calibration, survival by band."""

from __future__ import annotations

from pathlib import Path

from tenure.models.plot import check_plot_path, write_figure

BAND_COLOURS = {"red": "#d62728", "yellow": "#e6b400", "green": "#2ca02c"}


def check_chart_path(path: str | Path) -> Path:
    return check_plot_path(path, "chart")


def draw_backtest(result, path: str | Path) -> Path:
    """Three panels from a Backtest: churn rate per band (with lift), observed churn by score decile (and
    the model's predicted against observed on the test snapshots), Kaplan-Meier survival per band."""
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

        cal = result.calibration.to_pylist()
        deciles.plot([c["decile"] for c in cal], [c["churn_rate"] for c in cal], marker="o", label="scorecard: observed")
        if result.model_calibration is not None:
            model = result.model_calibration.to_pylist()
            deciles.plot([c["decile"] for c in model], [c["churn_rate"] for c in model], marker="s",
                         label="model (test): observed")
            deciles.plot([c["decile"] for c in model], [c["mean_probability"] for c in model], linestyle="--",
                         label="model (test): predicted")
        deciles.set_xlabel("decile (scorecard: 1 = lowest score; model: 1 = lowest probability)")
        deciles.set_ylabel("churn rate")
        deciles.set_title("calibration")
        deciles.legend(fontsize="small")

        curves = result.survival.to_pylist()
        for band in dict.fromkeys(c["band"] for c in curves):
            points = [(0, 1.0)] + [(c["days"], c["survival"]) for c in curves if c["band"] == band]
            survival.step([p[0] for p in points], [p[1] for p in points], where="post", label=band,
                          color=BAND_COLOURS.get(band))
        survival.set_xlabel("days after the snapshot")
        survival.set_ylabel("still a customer (Kaplan-Meier)")
        survival.set_title("time to churn by band")
        survival.legend(fontsize="small")
        figure.tight_layout()
        write_figure(figure, path, "chart")
    finally:
        plt.close(figure)
    return path


def _auc(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
