"""The dashboard's library: queries → metrics → charts, maps and narrative → ui → pages."""

import warnings

import pandas as pd

# pandas 3 keeps strings in Arrow arrays by default. Our frames are small and are looked up
# by string labels (columns, boroughs, groups) all the time, which converts those arrays to
# Python objects again and again: object strings make a page rerun about 30% cheaper
# (python -m bench.page, stop and search 224 → 157 ms median at full scale).
# The option is deprecated for pandas 4, which will drop it: revisit then (pandas is pinned).
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    pd.options.future.infer_string = False
