"""Review: the period beside the previous one and a year earlier, against targets, with a
generated narrative, a PDF for print and CSVs of every table. A presentation mode shows
one topic per screen in large type for the projector."""

from functools import partial

import streamlit as st

from dashboard import auth, filters, releases, url_state
from dashboard.components import Tile, chart, figure_caption, how_calculated, tiles
from dashboard.exports import csv_downloads, pdf_download
from dashboard.review.actions import action_items_section
from dashboard.review.controls import EMPTY, TOPICS, address_choices
from dashboard.review.data import (
    RELEASE_KINDS,
    catchment_map,
    census_chart,
    choose_period,
    coverage_chart,
    load_release_review,
    load_review,
    weekly_contacts_chart,
)
from program.review import KINDS, METHOD, partial_note
from reports.tables import plain

PRESENTATION_CSS = """<style>
  .stMainBlockContainer { max-width: 100%; padding-top: 1.5rem; }
  .stMainBlockContainer p, .stMainBlockContainer li { font-size: 1.6rem; line-height: 1.4; }
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 3.4rem !important; }
  [data-testid="stMetricLabel"] p { font-size: 1.3rem; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
  .st-key-review_kind, .st-key-review_anchor, [class*="st-key-review_release"],
  [data-testid="stHeader"] { display: none !important; }
  .st-key-review_presenting p { font-size: 1rem; white-space: nowrap; }
  [data-testid="stFullScreenFrame"] > div:has([data-testid="stImage"]),
  [data-testid="stImage"], [data-testid="stImageContainer"] { width: 100% !important; }
  [data-testid="stImage"] img { width: 100% !important; max-height: 78vh; object-fit: contain; }
  [data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.5rem; padding: 0.5rem; }
</style>"""

user = auth.require_user()
f = filters.current()
choices = address_choices(user, f)
url_state.page_choices("review", choices)

left, middle, right = st.columns([1, 2, 1])
presenting = right.toggle("Presentation mode", key="review_presenting")
if user.sees_person_level:
    kind = left.segmented_control("Period", KINDS, key="review_kind") or "Month"
    anchor = middle.date_input(
        "Month or quarter containing",
        max_value=f.as_of,
        key="review_anchor",
        disabled=kind == "Custom",
    )
    period = choose_period(kind, anchor, (f.start, f.end), f.as_of)
    if kind == "Custom":
        middle.caption(f"Custom period = the sidebar period, {f.label}.")
    elif period.partial:
        middle.caption(partial_note(kind, period, f.as_of))
    review = load_review(user, kind, period, f.as_of, f.offenses, f.offense_label)
    how_calculated(METHOD)
else:  # command, leadership: the review of a release
    release = releases.picker(user, f, "review_release", tuple(RELEASE_KINDS), METHOD)
    review = load_release_review(user, release, f.as_of, f.offenses, f.offense_label)
    period = review.period

if presenting:
    st.html(PRESENTATION_CSS)
    topic = st.segmented_control("Topic", TOPICS, key="review_topic")
    shown = {topic or TOPICS[0]}
else:
    shown = set(TOPICS)
width = "stretch" if presenting else "content"  # charts fill the projector's screen
# presenting: plain tables, which scale with the type and the screen (a grid keeps its size)
show_table = (
    partial(st.table, hide_index=True) if presenting else partial(st.dataframe, hide_index=True)
)
url_state.write_choices(choices)

st.subheader(f"{review.kind} review · {period.label}")
if "Figures" in shown:
    tiles(
        [
            Tile(
                k.label,
                k.show(k.value),
                f"Target {'≥' if k.better == 'higher' else '≤'} {k.show(k.target)} — "
                f"{ {True: 'met', False: 'not met', None: 'no data'}[k.meets_target] } · "
                f"year earlier {k.show(k.year_ago)}",
                change_text=k.change,
                better="neither" if k.change and k.change.startswith("±") else k.better,
            )
            for k in review.kpis
        ]
    )
    figure_caption(
        counts=f"program figures for the period; contacts and diversions: {review.offense_label}, "
        "as on the Overview; the change is against the previous period",
        period=f"{period.label}; previous {review.previous.label}; "
        f"year earlier {review.year_ago.label}",
        denominator="capacity use: average capacity; coverage: active officers; engagement: "
        "referrals made in the period; diverted: eligible contacts",
        method="targets are program settings (Settings page, admins)",
    )
if "What changed" in shown:
    st.markdown("#### What changed")
    st.markdown("\n".join(f"- {sentence}" for sentence in review.narrative))
if "Map" in shown:
    st.image(
        catchment_map(review.areas, review.cells, period.label),
        caption="Contacts in 100 m cells (classes, so small counts stay hidden); "
        "catchment in orange; post boundaries are approximations.",
        width=width,
    )
census, weekly = review.tables["Daily census"], review.tables["Contacts per week"]
coverage = review.tables["Training coverage by sector"]
if "Census" in shown:
    figure = partial(census_chart, census, period.label)
    chart(figure, census[["active", "pending"]], EMPTY["Census"], width=width)
if "Contacts" in shown:
    figure = partial(weekly_contacts_chart, weekly, period.label, review.offense_label)
    chart(figure, weekly[["not_diverted", "diverted"]], EMPTY["Contacts"], width=width)
if "Training" in shown:
    figure = partial(coverage_chart, coverage, f"{period.end:%d %b %Y}")
    chart(figure, coverage.active_officers, EMPTY["Training"], width=width)
if "Referrals" in shown:
    st.markdown(f"**Service referrals made {review.referral_period.label}, by outcome at its end**")
    show_table(plain("Service referrals by outcome", review.tables["Service referrals by outcome"]))
    for title in ("Referrals by door", "Service referrals by door"):
        st.markdown(f"**{title}, {review.referral_period.label}**")
        show_table(plain(title, review.tables[title]))
    if review.suppressed:
        st.caption(review.release_note)
if "Cost avoided" in shown:
    st.markdown(f"**Cost avoided, by {period.end:%d %b %Y}**")
    show_table(review.tables["Cost avoided"])
    st.caption(review.cost_note)
if "Action items" in shown:
    action_items_section(user, period, review.tables["Action items"], show_table, presenting)

if not presenting:
    with st.container(key="review_export-noprint"):
        st.divider()
        st.markdown("**Export**")
        pdf_download(user, review)
        csv_downloads(user, review)
