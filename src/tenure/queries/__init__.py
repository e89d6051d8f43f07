"""Query runners: one module per analysis kind, with the same vocabulary (docs/queries.md).

    validate(**options, timezone)  -> a frozen query object, or UsageError with a sentence
    <kind>(warehouse, query)       -> the Ibis expression of the rows (run it with .to_pyarrow())
    actors(warehouse, query, cell) -> the unit ids behind one cell

    lifecycle  new / returning / resurrecting / dormant units per period (PostHog's lifecycle)
    retention  a cohort matrix (PostHog's retention)
"""
