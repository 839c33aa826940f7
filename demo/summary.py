"""A few lines describing a generated demo data set as of its end date."""

from datetime import date, timedelta

import pandas as pd


def summarize(tables: dict[str, pd.DataFrame], end: date) -> str:
    officers, trainings = tables["officers"], tables["trainings"]
    contacts, enrollments = tables["contacts"], tables["enrollments"]
    today, soon = end.isoformat(), (end + timedelta(days=90)).isoformat()
    current = trainings[(trainings["completed_on"] <= today) & (trainings["expires_on"] > today)]
    latest_expiry = current.groupby("officer_id")["expires_on"].max()
    taken_in = enrollments["intake_on"] != ""
    still_open = enrollments["exited_on"] == ""
    active = enrollments[taken_in & still_open]
    caseloads = active["case_manager_id"].value_counts().sort_index()
    decisions = contacts["decision"].value_counts()
    return "\n".join(
        [
            f"officers: {len(officers)} ({(officers['active'] == 'true').sum()} active), "
            f"{len(latest_expiry)} with a current LEAD training, "
            f"{(latest_expiry <= soon).sum()} expiring within 90 days",
            f"contacts: {len(contacts)} ("
            + ", ".join(f"{name} {count}" for name, count in decisions.items())
            + ")",
            f"enrollments: {len(enrollments)} referrals, {len(active)} active and "
            f"{(~taken_in & still_open).sum()} waiting for intake on {today}",
            "caseloads: " + ", ".join(f"{cm} {n}" for cm, n in caseloads.items()),
            f"service referrals: {len(tables['referrals'])}",
        ]
    )
