"""The catalogue of a loaded warehouse: the signal vocabulary (tenure.vocabulary) plus one `attr_<key>`
text signal per custom attribute key the accounts use, which only the data can tell."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tenure.vocabulary.catalogue import ATTRIBUTE_PREFIX, CATALOGUE, Signal, attribute_signal, usable_attribute

if TYPE_CHECKING:
    from tenure.warehouse import Warehouse


def catalogue(warehouse: Warehouse) -> dict[str, Signal]:
    """CATALOGUE plus one `attr_<key>` text signal per custom attribute key in use on any account."""
    from tenure.metrics.breakdown import attribute_names

    found = dict(CATALOGUE)
    for key in attribute_names(warehouse):
        if usable_attribute(key):
            found[f"{ATTRIBUTE_PREFIX}{key}"] = attribute_signal(key)
    return found
