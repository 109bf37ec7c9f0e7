"""Altair chart builders: one chart per function, tested on `chart.to_dict()`."""
