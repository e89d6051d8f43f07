"""Metric families, each an Ibis expression over the canonical tables."""
