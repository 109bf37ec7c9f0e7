"""Named, parameterised queries over a `Store`, one module per topic.

Each function takes the store first and keyword filters after, returns a DataFrame, and is
pure with respect to the snapshot, so `lib.ui.cached` can cache it per (snapshot, filters).
"""
