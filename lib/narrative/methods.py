"""The rules behind every figure, in plain English, for the About page and the briefing's
methods appendix (one wording, built from the same constants the metrics use)."""

from __future__ import annotations

from lib.metrics.disparity import SMALL_COUNT
from lib.metrics.proportions import MIN_BASE
from lib.metrics.reliability import MAX_RELATIVE_WIDTH, MIN_COUNT, MIN_RESIDENTS

COMPARISON_RULE = (
    "**Comparing with a year earlier.** A change in a count always compares the months shown with the same "
    "calendar months a year earlier (two years earlier for a period of 13 to 24 months, and so on, so the two "
    "never overlap). Violence rises in summer and burglary in winter, so comparing December to February with "
    "September to November would report the season as a change. A change is given only when the snapshot holds "
    "every one of those earlier months, and is called a rise or a fall only when an exact statistical test says "
    "it is unlikely to be chance (5% level); otherwise the sentence says there is no significant change."
)

COVERAGE_POLICY = (
    "**Months covered.** Some tables stop short of the period chosen (the official stop-and-search files, for "
    "example, end in August 2024). Every figure then uses only the months the snapshot holds, and every "
    "sentence, chart title, caption and downloaded file names those months (\u201cin the 6 months March to "
    "August 2024, the latest this snapshot holds\u201d), never the months chosen. Counts add up those months; "
    "rates per year are scaled from them; changes compare them with the same months a year earlier."
)

RELIABILITY_RULE = (
    "**Which figures are ranked.** A borough's figure is ranked, coloured on a map and named as highest or lowest "
    f"only if it rests on at least {MIN_COUNT} records in each group it counts, its 95% interval is no wider than "
    f"{'the figure itself' if MAX_RELATIVE_WIDTH == 1 else f'{MAX_RELATIVE_WIDTH:g} times the figure'}, and, "
    f"for rates per resident, the area has at least {MIN_RESIDENTS:,} residents (only the City of London, with "
    "about 8,600 residents and hundreds of thousands of workers and visitors a day, has fewer). Other figures are "
    "shown in grey, unranked, and the sentence says which boroughs were left out and why. Boroughs whose "
    "intervals overlap the highest one's are called too close to tell apart, and each rank comes with the range "
    "of places its interval allows. Counts under "
    f"{SMALL_COUNT} are shown only as \u201cfewer than {SMALL_COUNT}\u201d; survey values from fewer than "
    f"{MIN_BASE} respondents are not shown."
)

BREAKS_NOTE = (
    "**Breaks in the data.** A change of recording system can move a series on its own: the Met replaced its "
    "crime recording system (CRIS) with CONNECT on 28 February 2024. Trend charts mark such breaks, and a change "
    "that spans one says so. The Met also publishes crimes it could not place in a borough (about 2% a month to "
    "August 2024, about 0.5% since): when that share moves by more than a change's own margin of error, the "
    "sentence warns that part of the change may come from how crimes were allocated."
)

MISSING_FIGURES = (
    "**A dash (\u2013)** marks a figure that cannot be given, and a note under the table says why: for example, "
    "the City of London is policed by the City of London Police, so the Met's recorded crime has no figure for it."
)


def rules() -> list[str]:
    """The paragraphs, in the order the About page shows them."""
    return [COMPARISON_RULE, COVERAGE_POLICY, RELIABILITY_RULE, BREAKS_NOTE, MISSING_FIGURES]
