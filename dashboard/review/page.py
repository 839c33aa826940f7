"""Review: the period beside the previous one and a year earlier, against targets, with a
generated narrative, a PDF for print and CSVs of every table. A presentation mode shows
one topic per screen in large type for the projector."""

from functools import partial

import streamlit as st

from dashboard import auth, filters, releases, url_state
from dashboard.components import Tile, chart, figure_caption, how_calculated, tiles
from dashboard.exports import csv_downloads, pdf_download
from dashboard.review import presentation
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

user = auth.require_user()
f = filters.current()
choices = address_choices(user, f)
url_state.page_choices("review", choices)

head, switch = st.columns([4, 1], vertical_alignment="center")
presenting = switch.toggle("Presentation mode", key="review_presenting")
with head.container(key="review_controls"):  # hidden while presenting (the period is kept)
    if user.sees_person_level:
        left, middle = st.columns([1, 2])
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
    presentation.style()
    topic = head.segmented_control(
        "Topic", TOPICS, key="review_topic", label_visibility="collapsed"
    )
    shown = {topic or TOPICS[0]}
else:
    shown = set(TOPICS)
width = "stretch" if presenting else "content"  # charts fill the projector's screen
show_table = presentation.table_drawer(presenting)
url_state.write_choices(choices)

st.subheader(presentation.heading(review.kind, period.label, f.as_of, presenting), anchor=False)
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
    figure = partial(catchment_map, review.areas, review.cells, period.label)
    if chart(figure, [len(review.cells)], EMPTY["Map"], width=width):
        st.caption(
            "Contacts in 100 m cells (classes, so small counts stay hidden); "
            "catchment in orange; post boundaries are approximations."
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
    with st.container(key="review_cost"):
        show_table(review.tables["Cost avoided"])
    st.caption(review.cost_note)
if "Action items" in shown:
    action_items_section(user, period, review.tables["Action items"], presenting)

if not presenting:
    with st.container(key="review_export-noprint"):
        st.divider()
        st.markdown("**Export**")
        pdf_download(user, review)
        csv_downloads(user, review)
