"""`tenure model sbg`: customer lifetime from a survival table (shifted-beta-geometric)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table

from tenure.cli.output import console, emit_json
from tenure.errors import UsageError

app = typer.Typer(no_args_is_help=True)


def _survivors(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise UsageError(f"--survivors: '{text}' is not a comma-separated list of whole numbers") from None


@app.command()
def sbg(
    survivors: Annotated[str, typer.Option("--survivors", help="Customers alive at the start of periods 0..T, e.g. 1000,869,743.")],
    periods: Annotated[int, typer.Option("--periods", help="Project survival and retention this many periods.")] = 12,
    discount: Annotated[Optional[float], typer.Option("--discount", help="Discount rate per period for DERL.")] = None,
    renewals: Annotated[Optional[int], typer.Option("--renewals", help="Renewals a customer has made, for DERL.")] = None,
    margin: Annotated[Optional[float], typer.Option("--margin", help="Margin per period: residual value = DERL x margin.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Fit the sBG model (Fader & Hardie 2007) and project survival, retention and DERL."""
    # scipy takes seconds to import; only this command pays for it.
    from tenure.models import fit_sbg_json

    if periods < 1:
        raise UsageError(f"--periods: {periods} must be at least 1")
    result = fit_sbg_json(_survivors(survivors), periods, discount=discount, renewals=renewals, margin=margin)
    if json_:
        emit_json(result)
        return
    console.print(f"alpha {result['alpha']:.4f}   beta {result['beta']:.4f}   log-likelihood {result['log_likelihood']:.3f}")
    view = Table(header_style="bold")
    for column in ("period", "survival", "retention"):
        view.add_column(column, justify="right")
    for t, s in enumerate(result["survival"]):
        view.add_row(str(t), f"{s:.4f}", f"{result['retention'][t - 1]:.4f}" if t else "–")
    console.print(view)
    if "derl" in result:
        console.print(f"DERL after {renewals} renewal(s) at {discount:.1%}: {result['derl']:.4f} periods")
    if "residual_value" in result:
        console.print(f"Expected residual value per customer: {result['residual_value']:,.2f}")
