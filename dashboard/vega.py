"""Charts drawn without validating their Vega-Lite spec at every rerun.

``st.altair_chart`` turns a chart into its spec with ``chart.to_dict()``, which validates
the whole spec against the Vega-Lite JSON schema (jsonschema): about half of the time a
chart takes to draw, again at every rerun, for specs the project builds itself and its
tests draw. A builder decorated with :func:`unvalidated` returns a chart whose spec is
made exactly as before, data and theme included, without that check.
"""

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
C = TypeVar("C")


def unvalidated(build: Callable[P, C]) -> Callable[P, C]:
    """``build``, whose chart converts to its spec without schema validation. Only for a
    builder whose chart is drawn as returned: ``.properties()`` or ``+`` make a new chart
    (validated again)."""

    @functools.wraps(build)
    def built(*args: P.args, **kwargs: P.kwargs) -> C:
        chart = build(*args, **kwargs)
        # Altair charts route attribute writes to their spec; this one is the object's own.
        object.__setattr__(chart, "to_dict", functools.partial(chart.to_dict, validate=False))
        return chart

    return built
