"""Lookup tables, as data, from publishers' crime labels to the one harmonised vocabulary
(`lib.vocab.CRIME_CATEGORIES`).

Met borough and LSOA files have used three schemes: the Title Case Home Office
sub-categories (2024-03 release; some minors cut at 50 characters), the UPPER CASE coarse
scheme (2025 releases), and the 2025-26 labels ("RES BURGLARY OF A HOME"). Labels are
matched with `lib.vocab.crime_key`, so case and punctuation don't matter. A label missing
from these tables stops the build: a silent guess would move crimes between categories.
"""

from __future__ import annotations

from lib.vocab import CRIME_CATEGORIES, VIOLENCE, crime_key

ANY_MINOR = "*"

_VAP = VIOLENCE
_MISC = "Miscellaneous Crimes Against Society"
_POW = "Possession of Weapons"
_FRAUD = "Fraud and Forgery"

# (published major, published minor) -> harmonised (major, minor). ANY_MINOR stands for
# every minor of that major (the Met's fine Miscellaneous and weapons sub-categories,
# including truncated ones, all fold into the single harmonised minor).
_MET_LABELS: dict[tuple[str, str], tuple[str, str]] = {
    # Violence against the person
    (_VAP, "Violence with Injury"): (_VAP, "Violence with Injury"),
    (_VAP, "Violence without Injury"): (_VAP, "Violence without Injury"),
    (_VAP, "Homicide"): (_VAP, "Homicide"),
    # Home Office counts causing death or serious injury by unlawful driving as violence
    # with injury, and stalking and harassment within violence without injury (as the Met
    # did before splitting them out in 2025).
    (_VAP, "Death Serious Injury Illegal Driving"): (_VAP, "Violence with Injury"),
    (_VAP, "Stalking and Harassment"): (_VAP, "Violence without Injury"),
    # Robbery
    ("Robbery", "Robbery of Personal Property"): ("Robbery", "Robbery of Personal Property"),
    ("Robbery", "Robbery of Business Property"): ("Robbery", "Robbery of Business Property"),
    # Sexual offences
    ("Sexual Offences", "Rape"): ("Sexual Offences", "Rape"),
    ("Sexual Offences", "Other Sexual Offences"): ("Sexual Offences", "Other Sexual Offences"),
    # Weapons: the fine scheme's six minors and the coarse scheme's one
    (_POW, ANY_MINOR): (_POW, _POW),
    # Burglary: residential under four names across releases
    ("Burglary", "Domestic Burglary"): ("Burglary", "Burglary - Residential"),
    ("Burglary", "Burglary in a Dwelling"): ("Burglary", "Burglary - Residential"),
    ("Burglary", "Burglary - Residential"): ("Burglary", "Burglary - Residential"),
    ("Burglary", "Res Burglary of a Home"): ("Burglary", "Burglary - Residential"),
    ("Burglary", "Res Burglary of Unconnected Building"): ("Burglary", "Burglary - Residential"),
    ("Burglary", "Burglary Business and Community"): ("Burglary", "Burglary - Business and Community"),
    ("Burglary", "Burglary Non-Dwelling"): ("Burglary", "Burglary - Business and Community"),
    # Theft
    ("Theft", "Theft from Person"): ("Theft", "Theft from the Person"),
    ("Theft", "Theft from the Person"): ("Theft", "Theft from the Person"),
    ("Theft", "Bicycle Theft"): ("Theft", "Bicycle Theft"),
    ("Theft", "Shoplifting"): ("Theft", "Shoplifting"),
    ("Theft", "Other Theft"): ("Theft", "Other Theft"),
    # Vehicle offences
    ("Vehicle Offences", "Theft from a Motor Vehicle"): ("Vehicle Offences", "Theft from a Motor Vehicle"),
    ("Vehicle Offences", "Theft from a Vehicle"): ("Vehicle Offences", "Theft from a Motor Vehicle"),
    ("Vehicle Offences", "Theft or Taking of a Motor Vehicle"): (
        "Vehicle Offences",
        "Theft or Taking of a Motor Vehicle",
    ),
    ("Vehicle Offences", "Theft or Unauth Taking of a Motor Veh"): (
        "Vehicle Offences",
        "Theft or Taking of a Motor Vehicle",
    ),
    ("Vehicle Offences", "Interfering with a Motor Vehicle"): (
        "Vehicle Offences",
        "Interfering with a Motor Vehicle",
    ),
    ("Vehicle Offences", "Aggravated Vehicle Taking"): ("Vehicle Offences", "Aggravated Vehicle Taking"),
    # Arson and criminal damage
    ("Arson and Criminal Damage", "Arson"): ("Arson and Criminal Damage", "Arson"),
    ("Arson and Criminal Damage", "Criminal Damage"): ("Arson and Criminal Damage", "Criminal Damage"),
    # Drugs
    ("Drug Offences", "Possession of Drugs"): ("Drug Offences", "Possession of Drugs"),
    ("Drug Offences", "Drug Trafficking"): ("Drug Offences", "Trafficking of Drugs"),
    ("Drug Offences", "Trafficking of Drugs"): ("Drug Offences", "Trafficking of Drugs"),
    # Public order (the fine scheme cut "...Public Fear, Alarm or Distress" at 50 characters)
    ("Public Order Offences", "Public Fear Alarm or Distress"): (
        "Public Order Offences",
        "Public Fear Alarm or Distress",
    ),
    ("Public Order Offences", "Racially or Religiously Aggravated Public Fear, Al"): (
        "Public Order Offences",
        "Racially or Religiously Aggravated Public Fear",
    ),
    ("Public Order Offences", "Race or Religious Agg Public Fear"): (
        "Public Order Offences",
        "Racially or Religiously Aggravated Public Fear",
    ),
    ("Public Order Offences", "Violent Disorder"): ("Public Order Offences", "Violent Disorder"),
    ("Public Order Offences", "Other Offences Against the State, or Public Order"): (
        "Public Order Offences",
        "Other Offences Against the State or Public Order",
    ),
    ("Public Order Offences", "Other Offences Public Order"): (
        "Public Order Offences",
        "Other Offences Against the State or Public Order",
    ),
    # Miscellaneous: every fine minor, including truncated ones such as
    # "Threat or Possession With Intent to Commit Crimina", and "MISC CRIMES AGAINST SOCIETY"
    (_MISC, ANY_MINOR): (_MISC, _MISC),
    # Fraud: Action Fraud/NFIB took over recording, so these are small historical series
    ("Historical Fraud and Forgery", ANY_MINOR): (_FRAUD, _FRAUD),
    (_FRAUD, ANY_MINOR): (_FRAUD, _FRAUD),
    ("NFIB Fraud", ANY_MINOR): (_FRAUD, _FRAUD),
}

MET_CATEGORY_MAP: dict[tuple[str, str], tuple[str, str]] = {
    (crime_key(major), crime_key(minor) if minor != ANY_MINOR else ANY_MINOR): target
    for (major, minor), target in _MET_LABELS.items()
}


def met_category(major: str, minor: str) -> tuple[str, str] | None:
    """Harmonised (major, minor) for a Met (MajorText, MinorText) pair; None if unmapped."""
    major_key = crime_key(major)
    return MET_CATEGORY_MAP.get((major_key, crime_key(minor))) or MET_CATEGORY_MAP.get((major_key, ANY_MINOR))


# data.police.uk street-crime types, used for crime_monthly only when no Met borough file
# is given. police.uk doesn't split most types the way the Met does, so those get a minor
# marked "(police.uk)" under the matching major rather than a guessed split. "Violence and
# sexual offences" cannot be split into its two Met majors: it sits under violence against
# the person, and the manifest says so. Anti-social behaviour is not a recorded crime.
POLICE_UK_NOT_CRIME = "Anti-social behaviour"
POLICE_UK_CRIME_TYPES: dict[str, tuple[str, str]] = {
    "Violence and sexual offences": (_VAP, "Violence and Sexual Offences (police.uk)"),
    "Robbery": ("Robbery", "Robbery (police.uk)"),
    "Possession of weapons": (_POW, _POW),
    "Burglary": ("Burglary", "Burglary (police.uk)"),
    "Bicycle theft": ("Theft", "Bicycle Theft"),
    "Shoplifting": ("Theft", "Shoplifting"),
    "Theft from the person": ("Theft", "Theft from the Person"),
    "Other theft": ("Theft", "Other Theft"),
    "Vehicle crime": ("Vehicle Offences", "Vehicle Crime (police.uk)"),
    "Criminal damage and arson": ("Arson and Criminal Damage", "Criminal Damage and Arson (police.uk)"),
    "Drugs": ("Drug Offences", "Drugs (police.uk)"),
    "Public order": ("Public Order Offences", "Public Order (police.uk)"),
    "Other crime": (_MISC, _MISC),
}
_POLICE_UK_BY_KEY = {crime_key(label): target for label, target in POLICE_UK_CRIME_TYPES.items()}
POLICE_UK_NOTE = (
    "crime_monthly was derived from data.police.uk street crime because no Met borough file "
    "was given: 'Violence and sexual offences' is counted under Violence Against the Person "
    "(it includes sexual offences), several types carry a '(police.uk)' minor category because "
    "police.uk does not split them, and anti-social behaviour is left out."
)


def police_uk_category(crime_type: str) -> tuple[str, str] | None:
    """Harmonised (major, minor) for a police.uk crime type; None for unknown types."""
    return _POLICE_UK_BY_KEY.get(crime_key(crime_type))


def _check_targets() -> None:
    """Every Met target must be a category of the vocabulary (fails at import if edited wrongly)."""
    for major, minor in MET_CATEGORY_MAP.values():
        if minor not in CRIME_CATEGORIES.get(major, ()):
            raise AssertionError(f"harmonised category ({major}, {minor}) is not in lib.vocab")


_check_targets()
