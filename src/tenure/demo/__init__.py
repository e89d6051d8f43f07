"""A synthetic B2B SaaS company, written as the files of the data contract.

    >>> from tenure.demo import generate
    >>> files = generate(Path("demo-data"), accounts=500, months=24, seed=7)   # doctest: +SKIP
    >>> files["accounts"]                                                       # doctest: +SKIP
    [PosixPath('demo-data/accounts.csv')]

The same (seed, accounts, months, end, target_events, events_format) always gives byte-identical files.
"""

from tenure.demo.generate import TABLE_ORDER, generate

__all__ = ["TABLE_ORDER", "generate"]
