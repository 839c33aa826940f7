"""The dashboard's entry script as the benchmark's AppTest runs it.

Streamlit treats a main script with a ``pages/`` folder beside it (dashboard/app.py) as
a v1 multipage app whenever AppTest starts a run, and then runs a switched-to page on
its own, without app.py's frame (sign-in gate, filters, frame queries). Started from
here, where no ``pages/`` folder exists, every run goes through ``st.navigation`` in
app.py exactly as under ``streamlit run``.
"""

import runpy
from pathlib import Path

runpy.run_path(
    str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), run_name="__main__"
)
