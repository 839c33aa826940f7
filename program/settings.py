"""Program settings as people read them: a label and a unit for each key, and when a
value started ("since the start" for the values the program began with, stored as in
force from 1 January 1900 so every day has one)."""

from datetime import date

BEGINNING = date(1900, 1, 1)  # the effective date of the values the program began with

LABELS = {  # key -> (label, unit)
    "capacity": ("Program capacity", "participants"),
    "intake_window_days": ("Intake window", "days"),
    "catchment_ring_m": ("'Just outside the catchment' ring", "metres"),
    "training_expiry_warning_days": ("Warn of expiring trainings", "days ahead"),
    "caseload_flag": ("Caseload flagged above", "participants"),
    "caseload_breach": ("Caseload breach above", "participants"),
    "caseload_target_low": ("Target caseload from", "participants"),
    "caseload_target_high": ("Target caseload up to", "participants"),
    "caseload_average_max": ("Average caseload at most", "participants"),
    "in_the_wind_days": ("'In the wind' after no meeting for", "days"),
    "warm_handoff_target_minutes": ("Warm handoff target", "minutes"),
    "legal_clock_days": ("Charges held pending intake for", "days"),
    "cost_window_days": ("Cost avoided: days compared before and after intake", "days"),
    "cost_per_bed_day": ("Cost per jail bed-day (default: Maryland DOC FY2023)", "US dollars"),
    "cost_per_booking": ("Cost per jail booking (site to set: 0 is a placeholder)", "US dollars"),
    "trained_officers_target": ("Trained officers target", "officers"),
    "small_cell_threshold": ("Small counts hidden up to", "people"),
    "protection_level": ("Release protection level", ""),
    "target_capacity_use_pct": ("Target: capacity use", "%"),
    "target_referral_to_intake_days": ("Target: days to intake (median)", "days"),
    "target_training_coverage_pct": ("Target: training coverage", "%"),
    "target_referral_engagement_pct": ("Target: referral engagement", "%"),
    "target_eligible_diverted_pct": ("Target: eligible contacts diverted", "%"),
}


def label(key: str) -> str:
    """The setting's plain name (a key without one: the key, with spaces)."""
    return LABELS.get(key, (key.replace("_", " ").capitalize(), ""))[0]


def shown_value(key: str, value) -> str:
    """The value with its unit: "60 participants", "90%"."""
    unit = LABELS.get(key, ("", ""))[1]
    number = f"{float(value):g}"
    return number + unit if unit == "%" else f"{number} {unit}".strip()


def since(effective_from: date) -> str:
    return "since the start" if effective_from <= BEGINNING else f"{effective_from:%d %b %Y}"
