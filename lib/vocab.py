"""One vocabulary for the whole project: categories, ethnic groups, survey measures.

Publishers' labels are mapped to these by the pipeline; the demo generator writes them
directly. Every chart takes its display order from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- Recorded crime ---------------------------------------------------------------------

VIOLENCE = "Violence Against the Person"
KNIFE_CRIME = "Knife Crime"

# Harmonised major category -> its minor categories, in display order. The coarse scheme
# is the one both Met releases can be mapped to (the 2025 release dropped the fine
# Home Office sub-categories).
CRIME_CATEGORIES: dict[str, tuple[str, ...]] = {
    VIOLENCE: ("Violence with Injury", "Violence without Injury", "Homicide"),
    "Robbery": ("Robbery of Personal Property", "Robbery of Business Property"),
    "Sexual Offences": ("Rape", "Other Sexual Offences"),
    "Possession of Weapons": ("Possession of Weapons",),
    "Burglary": ("Burglary - Residential", "Burglary - Business and Community"),
    "Theft": ("Theft from the Person", "Bicycle Theft", "Shoplifting", "Other Theft"),
    "Vehicle Offences": (
        "Theft from a Motor Vehicle",
        "Theft or Taking of a Motor Vehicle",
        "Interfering with a Motor Vehicle",
        "Aggravated Vehicle Taking",
    ),
    "Arson and Criminal Damage": ("Arson", "Criminal Damage"),
    "Drug Offences": ("Possession of Drugs", "Trafficking of Drugs"),
    "Public Order Offences": (
        "Public Fear Alarm or Distress",
        "Racially or Religiously Aggravated Public Fear",
        "Violent Disorder",
        "Other Offences Against the State or Public Order",
    ),
    "Miscellaneous Crimes Against Society": ("Miscellaneous Crimes Against Society",),
    "Fraud and Forgery": ("Fraud and Forgery",),
    # Knife crime is a flag on offences already counted above (mostly violence and
    # robbery), so it is never added to other categories.
    KNIFE_CRIME: ("Knife Crime with Injury", "Knife Crime without Injury"),
}


# data.police.uk street-crime types that fall under violence against the person.
POLICE_UK_VIOLENT_TYPES = ("Violence and sexual offences", "Robbery", "Possession of weapons")
VIOLENCE_AND_SEXUAL, ROBBERY_TYPE, WEAPONS_TYPE = POLICE_UK_VIOLENT_TYPES
SEXUAL_OFFENCES = "Sexual Offences"
# The harmonised major categories the violence page offers, in display order, with the
# data.police.uk street-crime types that contain them (police.uk does not split violence
# from sexual offences, and has no knife-crime type).
VIOLENT_MAJORS: dict[str, tuple[str, ...]] = {
    VIOLENCE: (VIOLENCE_AND_SEXUAL,),
    "Robbery": (ROBBERY_TYPE,),
    SEXUAL_OFFENCES: (VIOLENCE_AND_SEXUAL,),
    "Possession of Weapons": (WEAPONS_TYPE,),
    KNIFE_CRIME: (),
}
assert set(VIOLENT_MAJORS) <= set(CRIME_CATEGORIES), "violent majors must be vocabulary categories"

# Where a snapshot's small-area (hot-spot) counts come from: street-level points binned
# into H3 cells, or the Met's LSOA counts with LSOA outlines.
H3 = "h3"
LSOA = "lsoa"


def crime_key(label: str) -> str:
    """Case- and punctuation-blind key for matching publishers' category labels."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", label.lower()).split())


@dataclass(frozen=True)
class OffenceGroup:
    """One choice of the violence page's offence-group filter: a major category, or one
    minor within it."""

    key: str  # URL value, e.g. 'violence-with-injury'
    major: str
    minor: str | None  # None = the whole major category
    point_types: tuple[str, ...]  # police.uk types whose street-level points contain it

    @property
    def label(self) -> str:
        return self.minor or self.major

    @property
    def noun(self) -> str:
        """For sentences: 'violence against the person', 'homicide'."""
        return self.label.lower()

    @property
    def menu_label(self) -> str:
        if self.minor is None:
            return f"{self.major} (all)" if self.major == VIOLENCE else self.major
        return f"· {self.minor}"

    @staticmethod
    def slug(label: str) -> str:
        """The URL key for a category label: 'Violence with Injury' -> 'violence-with-injury'."""
        return crime_key(label).replace(" ", "-")


# --- Ethnicity --------------------------------------------------------------------------

ETHNIC_GROUPS: tuple[str, ...] = ("Asian", "Black", "Mixed", "Other", "White")
REFERENCE_GROUP = "White"

# The two ethnicity definitions a stop-and-search record carries: the person's own
# (self-defined, Census 2021 headings) and the officer's.
SELF_DEFINED = "self"
OFFICER_DEFINED = "officer"
# Officer-defined ethnicity has four options (no Mixed); anything else is Unknown.
OFFICER_GROUPS = ("Asian", "Black", "Other", "White")

# Census 2021 high-level headings as they open data.police.uk self-defined labels
# ("Black/African/Caribbean/Black British - Caribbean").
_SELF_DEFINED_PREFIXES = {
    "asian/asian british": "Asian",
    "black/african/caribbean/black british": "Black",
    "mixed/multiple ethnic groups": "Mixed",
    "white": "White",
    "other ethnic group": "Other",
}


def ethnic_group_from_self_defined(label: object) -> str:
    """Harmonise a self-defined ethnicity label (18+1 Census categories) to the five
    groups; "Not stated", blanks and anything unrecognised become "Unknown"."""
    if not isinstance(label, str) or not label.strip():
        return "Unknown"
    text = label.strip().lower()
    if "not stated" in text:
        return "Unknown"
    heading = text.split(" - ")[0].strip()
    if heading in _SELF_DEFINED_PREFIXES:
        return _SELF_DEFINED_PREFIXES[heading]
    return ethnic_group_from_officer_defined(label)


def ethnic_group_from_officer_defined(label: object) -> str:
    """Harmonise an officer-defined ethnicity (Asian, Black, Mixed, Other, White)."""
    if not isinstance(label, str):
        return "Unknown"
    cleaned = label.strip().capitalize()
    return cleaned if cleaned in ETHNIC_GROUPS else "Unknown"


# --- Stop and search --------------------------------------------------------------------

# Short names for the powers, in display order; `legislation_group` maps the published
# Act names to them.
LEGISLATION_GROUPS: tuple[str, ...] = (
    "PACE s1",
    "Misuse of Drugs Act s23",
    "CJPOA s60",
    "Firearms Act s47",
    "Terrorism Act",
    "Other",
)


def legislation_group(label: object) -> str:
    text = label.lower() if isinstance(label, str) else ""
    if "police and criminal evidence" in text:
        return "PACE s1"
    if "misuse of drugs" in text:
        return "Misuse of Drugs Act s23"
    if "criminal justice and public order" in text:
        return "CJPOA s60"
    if "firearms" in text:
        return "Firearms Act s47"
    if "terrorism" in text:
        return "Terrorism Act"
    return "Other"


SEARCH_TYPES: tuple[str, ...] = ("Person search", "Person and Vehicle search", "Vehicle search")
AGE_RANGES: tuple[str, ...] = ("under 10", "10-17", "18-24", "25-34", "over 34")
GENDERS: tuple[str, ...] = ("Male", "Female", "Other")
NO_FURTHER_ACTION = "A no further action disposal"
OUTCOMES: tuple[str, ...] = (
    NO_FURTHER_ACTION,
    "Arrest",
    "Community resolution",
    "Penalty Notice for Disorder",
    "Summons / charged by post",
    "Caution (simple or conditional)",
    "Khat or Cannabis warning",
)

# --- Public Attitude Survey -------------------------------------------------------------


SURVEY_MEASURES: dict[str, dict[str, str]] = {
    "trust": {
        "label": "Trust the Met",
        "published": "Trust MPS",
        "question": "To what extent do you agree with this statement: "
        "'I have trust in the Metropolitan Police Service'?",
        "agree": "Strongly agree or tend to agree",
    },
    "good_job": {
        "label": "Police do a good job locally",
        "published": '"Good Job" local',
        "question": "Taking everything into account, how good a job do you think the police in this area are doing?",
        "agree": "Excellent or good",
    },
    "fair": {
        "label": "Treat everyone fairly",
        "published": "Treat everyone fairly",
        "question": "To what extent do you agree: 'The police in this area treat "
        "everyone fairly regardless of who they are'?",
        "agree": "Strongly agree or tend to agree",
    },
    "listen": {
        "label": "Listen to the concerns of local people",
        "published": "Listen to concerns",
        "question": "To what extent do you agree: 'The police in this area listen to the concerns of local people'?",
        "agree": "Strongly agree or tend to agree",
    },
    "relied_on": {
        "label": "Can be relied on to be there when needed",
        "published": "Relied on to be there",
        "question": "To what extent do you agree: 'The police in this area can be relied on to be there when needed'?",
        "agree": "Strongly agree or tend to agree",
    },
    "understand": {
        "label": "Understand the issues that affect this community",
        "published": "Understand issues",
        "question": "To what extent do you agree: 'The police in this area "
        "understand the issues that affect this community'?",
        "agree": "Strongly agree or tend to agree",
    },
    "informed": {
        "label": "Feel well informed about local policing",
        "published": "Informed local",
        "question": "How well informed do you feel about what the police in this "
        "area have been doing over the last 12 months?",
        "agree": "Very or fairly well informed",
    },
    "contact_officer": {
        "label": "Know how to contact their ward officer",
        "published": "Contact ward officer",
        "question": "Do you know how to contact your local ward officer or Safer Neighbourhood Team?",
        "agree": "Yes",
    },
}

_MEASURE_BY_PUBLISHED = {crime_key(m["published"]): key for key, m in SURVEY_MEASURES.items()}


def survey_measure_key(published: str) -> str | None:
    """The measure key for MOPAC's published measure name (quotes and case ignored)."""
    return _MEASURE_BY_PUBLISHED.get(crime_key(published))


SURVEY_GROUPS: dict[str, tuple[str, ...]] = {
    "ethnicity": ("Asian", "Black", "Mixed", "Other", "White"),
    "age": ("16-24", "25-34", "35-44", "45-54", "55-64", "65+"),
    "gender": ("Female", "Male"),
}


# --- Harm and justice (the Met's Monthly Crime Dashboard) --------------------------------

# The Square Mile is policed by the City of London Police: the Met's own figures never
# include it, so "London" in them means the other 32 boroughs.
CITY_OF_LONDON = "E09000001"

HARM_OFFENCES = "offences"
HARM_POSITIVE_OUTCOMES = "positive_outcomes"
HARM_MEASURES: tuple[str, ...] = (HARM_OFFENCES, HARM_POSITIVE_OUTCOMES)

GUN_CRIME = "Gun Crime"
DOMESTIC_ABUSE = "Domestic Abuse"
HATE_CRIME = "Hate Crime"
TOTAL_NOTIFIABLE = "Total Notifiable Offences"
KNIFE_VICTIMS_1_24 = "Knife Injury Victims (1-24)"

# Offence group -> its subgroups, in display order. Subgroups overlap (knife crime with
# injury is part of knife crime; one hate crime can carry several strands), so they are
# never added together; each is a figure of its own.
HARM_CATEGORIES: dict[str, tuple[str, ...]] = {
    KNIFE_CRIME: (
        "Knife Crime",
        "Knife Crime with Injury",
        "Knife Crime with Injury (Personal Robbery)",
        KNIFE_VICTIMS_1_24,
        "Knife Injury Victims (non-domestic, 1-24)",
    ),
    GUN_CRIME: ("Gun Crime", "Gun Crime (Personal Robbery)", "Lethal Barrel Discharges"),
    DOMESTIC_ABUSE: ("Domestic Abuse", "Domestic Abuse Violence with Injury"),
    HATE_CRIME: (
        "Hate Crime",
        "Racist and Religious Hate Crime",
        "Racist Hate Crime",
        "Antisemitic Hate Crime",
        "Islamophobic Hate Crime",
        "Faith Hate Crime",
        "Homophobic Hate Crime",
        "Transphobic Hate Crime",
        "Disability Hate Crime",
    ),
    TOTAL_NOTIFIABLE: (TOTAL_NOTIFIABLE,),
}

# The Met moved to a new crime recording system (CONNECT) at the end of February 2024 (the
# break itself is in data/reference/breaks.csv) and says its domestic abuse and hate crime
# figures before and after are not comparable (London Datastore, MPS Monthly Crime Dashboard).
HARM_NOT_COMPARABLE_ACROSS_CONNECT: frozenset[str] = frozenset({DOMESTIC_ABUSE, HATE_CRIME})
