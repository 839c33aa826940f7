"""Legal clock: for an arrest diversion the State's Attorney's Office holds the charges
while the person completes intake within a site-set number of days (the dated setting
``legal_clock_days``). Case managers and admins see the person-level due list; the
prosecutor liaison sees only, for people who consented, whether intake happened by the
deadline (the database's ``legal_clock_liaison()``: no other fact reaches that role).
"""

import streamlit as st

from dashboard import auth, filters
from dashboard.components import Tile, figure_caption, tiles
from dashboard.legal_clock import data
from program import clock
from program.legal_clock import ANSWER_LABELS, DUE_SOON_DAYS, STATUS_LABELS, due_counts

user = auth.require_user()

if user.sees_sao_slice:
    today = clock.today()
    answers = data.liaison(user)
    shown = answers.intake_by_deadline.map(ANSWER_LABELS)
    as_of = f"as of {today:%d %b %Y}"
    tiles(
        [
            Tile(label, str(int((shown == label).sum())), as_of, better="neither")
            for label in ANSWER_LABELS.values()
        ]
    )
    st.dataframe(
        answers.assign(intake_by_deadline=shown),
        hide_index=True,
        column_config={
            "case_reference": "Case reference",
            "deadline": st.column_config.DateColumn("Deadline", format="YYYY-MM-DD"),
            "intake_by_deadline": "Intake by the deadline?",
        },
    )
    figure_caption(
        counts="arrest diversions of people who consented to share their intake status "
        "with the State's Attorney's Office",
        period=f"every deadline so far, as of {today:%d %b %Y}",
        method="deadline = the arrest's date + the days charges are held pending intake "
        "(the setting in force that date); 'Pending' until intake or the deadline passes",
        source="LEAD case management; nothing else about a participant is shared",
    )
    st.stop()

f = filters.current()
due = data.due_list(user, f.start, f.end)
counts = due_counts(due.status, due.days_left)
reference = f"as of {f.end:%d %b %Y}"
labels = {
    "pending": "Pending",
    "due_soon": f"Due within {DUE_SOON_DAYS} days",
    "overdue": "Overdue",
    "met": "Intake by deadline",
}
tiles([Tile(label, str(counts[key]), reference, better="neither") for key, label in labels.items()])
st.dataframe(
    due.assign(status=due.status.map(STATUS_LABELS), sao_consent=due.sao_consent_on.notna()).drop(
        columns=["sao_consent_on"]
    ),
    hide_index=True,
    column_config={
        "enrollment_id": "Enrollment",
        "person_key": "Person",
        "manager": "Case manager",
        "case_reference": "Case reference",
        "clock_start": "Arrest date",
        "deadline": "Deadline",
        "intake_on": "Intake",
        "status": "Status",
        "days_left": st.column_config.NumberColumn("Days left", help="negative: days past"),
        "sao_consent": st.column_config.CheckboxColumn("Shared with SAO"),
    },
)
figure_caption(
    counts="arrest diversions (enrollments from an arrest contact), one row per person's clock",
    period=f"clocks running at some time in {f.label}, status on {f.end:%d %b %Y}",
    method="deadline = the contact's date + legal_clock_days in force that date; "
    "overdue: no intake by a passed deadline; 'Shared with SAO': consent recorded, the "
    "prosecutor liaison sees this row's case reference, deadline and yes/no/pending",
)
