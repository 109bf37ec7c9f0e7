"""What each page computes from its `PageContext`: the queries it runs (through `ui.cached`)
and the metrics and figures it builds from them, so page files stay a title, controls and
sections. Part of the ui layer (may use `lib.ui`); pure logic stays in metrics, charts,
maps and narrative.
"""
