"""The city's public "BPD Arrests" export read as contacts (``--format bpd-arrests``).

Every arrest is a contact with pathway ``arrest`` and decision ``arrested``; the offence
is classified from the free-text charge; District, Post, age, sex and race are kept; the
public export carries no officer and no person key. Rows without an arrest number get a
stable id from their content (``bpd-<sha1>``), so a repeated row merges with its twin
instead of being loaded twice.
"""

import hashlib
import re

import numpy as np
import pandas as pd

COLUMNS = [
    "arrest",
    "age",
    "sex",
    "race",
    "arrestdate",
    "arresttime",
    "incidentoffense",
    "chargedescription",
    "district",
    "post",
    "longitude",
    "latitude",
]
OPTIONAL = ["arrestlocation", "incidentlocation", "charge", "neighborhood", "location 1"]
# PROSTI, PROSTU: also the misspellings in the export (PROSTUTION, PROSTITITUTION);
# soliciting counts unless it is soliciting someone to commit a crime.
PROSTITUTION = re.compile(r"PROST[IU]|SOLICIT(?!.*\bCOMMIT)|ASSIGNATION", re.IGNORECASE)
DRUG = re.compile(
    r"\bC\.?D\.?S\b|CONTROLLED DANGEROUS|\bPWID\b|NARCOTIC|HEROIN|COCAINE|MARIJUANA|"
    r"PARAPHERNALIA|\bDRUG",
    re.IGNORECASE,
)


def classify_offense(charge: str) -> str:
    """drug | prostitution | other, from a free-text charge description."""
    if PROSTITUTION.search(charge):
        return "prostitution"
    if DRUG.search(charge):
        return "drug"
    return "other"


def to_contacts(raw: pd.DataFrame) -> pd.DataFrame:
    """Native contact columns (strings) from the export's rows, same index (row numbers)."""
    charge = raw["chargedescription"].str.strip()
    text = charge + " " + raw["incidentoffense"].str.strip()
    return pd.DataFrame(
        {
            "contact_id": _ids(raw),
            "occurred_at": _timestamps(raw["arrestdate"], raw["arresttime"]),
            "latitude": raw["latitude"],
            "longitude": raw["longitude"],
            "offense": [classify_offense(t) for t in text],
            "pathway": "arrest",
            "decision": "arrested",
            "officer_id": "",
            "person_key": "",
            "age": raw["age"],
            "sex": raw["sex"],
            "race": raw["race"],
            "ineligible_reason": "",
            "district": raw["district"].str.strip(),
            "post": raw["post"].str.strip(),
            "charge": charge,
        },
        index=raw.index,
    )


def _ids(raw: pd.DataFrame) -> pd.Series:
    arrest = raw["arrest"].str.strip()
    content = raw.astype(str).agg("\x1f".join, axis=1)
    derived = "bpd-" + content.map(lambda row: hashlib.sha1(row.encode()).hexdigest()[:12])
    return pd.Series(np.where(arrest == "", derived, arrest), index=raw.index)


def _timestamps(dates: pd.Series, times: pd.Series) -> pd.Series:
    """MM/DD/YYYY + HH:MM -> ISO 8601 local time; unreadable values pass through as
    written so the row is rejected with them in the reason."""
    parsed = pd.to_datetime(
        dates.str.strip() + " " + times.str.strip(), format="%m/%d/%Y %H:%M", errors="coerce"
    )
    iso = parsed.dt.strftime("%Y-%m-%dT%H:%M:00")
    return iso.where(parsed.notna(), dates + " " + times)
