"""Plain words first (issue 16): method jargon appears only inside a page's "How is this
calculated?" expander, never in its headings, captions, notes, labels or table headers;
and one definition of "diversions": the Overview and the Review give the same count for
the same period and offences, the one a plain SQL count of the contacts gives."""

from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1.element_tree import Block, Expander

from dashboard.components import HOW_CALCULATED
from db.connect import connect

JARGON = ("Gi*", "z-score", "Web Mercator", "State Plane", "Poisson", "Wilson", "percentile")
# Every page that uses method jargon, the role that sees it, and words its expander explains.
PAGES = (
    ("contacts/page.py", "command", ("Gi*", "z-score", "Web Mercator", "State Plane")),
    ("capacity/page.py", "case_manager", ("Poisson", "percentile")),
    ("capacity/page.py", "leadership", ("small-cell suppression", "complementary suppression")),
    ("outcomes/page.py", "case_manager", ("Wilson", "cohort", "re-contact")),
    ("outcomes/page.py", "command", ("Wilson", "complementary suppression")),
    ("training/page.py", "command", ("denominator", "complementary suppression")),
    ("review/page.py", "case_manager", ("like for like", "partial")),
    ("review/page.py", "leadership", ("like for like", "small-cell suppression")),
)


def read(node, inside: bool, out: dict) -> None:
    """Collect the text of ``node`` and below into out["inside"] (in the method expander)
    or out["outside"]: values, labels, captions, table headers."""
    if isinstance(node, Expander) and node.label == HOW_CALCULATED:
        inside = True
    texts = []
    for name in ("label", "value", "body", "help", "placeholder"):
        try:
            value = getattr(node, name, None)
        except Exception:  # noqa: BLE001 - a widget without that property
            continue
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, pd.DataFrame):
            texts.extend(str(c) for c in value.columns)
    out["inside" if inside else "outside"].extend(t.replace("\\", "") for t in texts)
    if isinstance(node, Block):
        for child in node.children.values():
            read(child, inside, out)


@pytest.mark.parametrize(("page", "role", "explained"), PAGES)
def test_jargon_only_inside_how_is_this_calculated(app, released, page, role, explained):
    at = app(role, page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert HOW_CALCULATED in [e.label for e in at.expander]
    out = {"inside": [], "outside": []}
    read(at.main, False, out)
    inside = " ".join(out["inside"]).lower()
    assert all(word.lower() in inside for word in explained), explained
    for text in out["outside"]:
        assert not any(word.lower() in text.lower() for word in JARGON), text


SEPTEMBER = (date(2026, 9, 1), date(2026, 9, 30))


def diversions_by_sql(url: str, offenses: list[str]) -> int:
    with connect(url) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM contact WHERE decision = 'diverted' AND offense = ANY(%s) "
            "AND (occurred_at AT TIME ZONE 'America/New_York')::date BETWEEN %s AND %s",
            (offenses, *SEPTEMBER),
        )
        return cur.fetchone()[0]


def on_september(at, offenses: list[str]):
    at.session_state["filter_preset"] = "Custom"
    at.session_state["filter_custom_range"] = SEPTEMBER
    at.session_state["filter_offenses"] = offenses
    return at


@pytest.mark.parametrize("role", ("case_manager", "command"))
@pytest.mark.parametrize("offenses", (["drug"], ["drug", "prostitution", "other"]))
def test_overview_and_review_count_the_same_diversions(app, released, role, offenses):
    expected = diversions_by_sql(released, offenses)
    assert expected > 0
    overview = on_september(app(role, "home/page.py"), offenses)
    overview.run()
    assert not overview.exception
    assert next(m for m in overview.metric if m.label == "Diversions").value == f"{expected:,}"
    review = on_september(app(role, "review/page.py"), offenses)
    if role == "case_manager":
        review.session_state["review_kind"] = "Custom"
    review.run()
    assert not review.exception, [e.value for e in review.exception]
    narrative = " ".join(m.value for m in review.markdown)
    assert f"to {expected:,} (" in narrative or f"Diversions held at {expected:,}" in narrative
