"""Small tables written into the SQL itself, for configuration that takes part in a query.

`ibis.memtable` uploads its rows to the connection under a generated name, so the compiled SQL only
runs where that upload happened: not when a statement is executed raw (refresh writes tables with
INSERT ... SELECT), not when a user runs the SQL that `--sql` printed. An array of structs unnested by
the engine carries the rows inside the statement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.operations as ops
import ibis.expr.types as ir


def inline_table(rows: Sequence[Mapping[str, object]], schema: Mapping[str, dt.DataType | str]) -> ir.Table:
    """A table of `rows` with the columns of `schema`, in order; no rows gives an empty table."""
    struct = dt.Struct({name: dt.dtype(kind) for name, kind in schema.items()})
    if not rows:
        # An empty array literal loses its element type in the SQL: typed nulls, filtered out, keep it.
        nulls = ops.DummyTable({name: ibis.null(kind).op() for name, kind in struct.items()}).to_expr()
        return nulls.filter(ibis.literal(False))
    values = [{name: row.get(name) for name in schema} for row in rows]
    holder = ops.DummyTable({"_row": ibis.literal(values, type=dt.Array(struct)).op()}).to_expr()
    return holder.select(_row=holder._row.unnest()).unpack("_row")
