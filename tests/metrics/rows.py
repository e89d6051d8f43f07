"""Literal subscription rows for the revenue tests."""

from __future__ import annotations


def sub(
    subscription_id: str,
    account_id: str,
    start: str,
    end: str | None = None,
    *,
    amount: str = "100",
    interval: int = 1,
    currency: str = "USD",
    trial: bool | None = None,
) -> dict:
    """One subscriptions row; dates without an offset are read in the workspace time zone."""
    return {
        "subscription_id": subscription_id,
        "account_id": account_id,
        "start_date": start,
        "end_date": end,
        "amount": amount,
        "currency": currency,
        "interval_months": interval,
        "is_trial": None if trial is None else str(trial).lower(),
    }
