"""A synthetic B2B SaaS company, written as the files of the data contract.

    >>> from tenure.demo import generate
    >>> files = generate(Path("demo-data"), accounts=500, months=24, seed=7)   # doctest: +SKIP
    >>> files["accounts"]                                                       # doctest: +SKIP
    [PosixPath('demo-data/accounts.csv')]

The same (seed, accounts, months, end, target_events, events_format) always gives byte-identical files.
Whatever the seed and size, SHOWCASE_ID (acc_000001, the README tour's account) is a paying customer
with a story to show: sign-up within the last year, onboarding, usage, tickets, an expansion.
"""

from tenure.demo.company import SHOWCASE_ID
from tenure.demo.generate import TABLE_ORDER, generate

__all__ = ["SHOWCASE_ID", "TABLE_ORDER", "generate"]
