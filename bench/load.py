"""Concurrent sessions without a browser: Streamlit's own websocket protocol.

Each client does what a browser tab does on the wire: opens ``/_stcore/stream``, asks
for a run, signs in through the form (the same widget states the browser would send),
then switches between the given pages again and again. A response is the time from the
rerun request to the server's "script finished"; an error is an exception element in the
page, a run that fails, a timeout or a dropped connection. The clients do not draw maps,
so a map component's value round-trip (st_folium answers with the map's bounds after
drawing, which reruns the page) is not part of the load.
"""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.database import BENCH_USER
from bench.pages import percentile
from bench.serve import log_size, logged_errors, peak_mib, reset_peak, rss_mib

FINISHED = ForwardMsg.ScriptFinishedStatus
RUN_TIMEOUT_S = 120


@dataclass
class LoadResult:
    sessions: int
    seconds: float
    pages: list[str]
    responses_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)  # from the server's log
    sign_in_s: float = 0.0  # until every session had signed in (before the timed window)
    rss_start_mib: float | None = None
    rss_end_mib: float | None = None
    peak_mib: float | None = None

    @property
    def p50(self):
        return percentile(self.responses_ms, 50)

    @property
    def p95(self):
        return percentile(self.responses_ms, 95)


class RunFailed(RuntimeError):
    pass


def rerun(page_hash: str = "", widgets=()) -> bytes:
    message = BackMsg()
    state = message.rerun_script
    state.page_script_hash = page_hash
    state.widget_states.widgets.extend(widgets)
    return message.SerializeToString()


async def run(ws, request: bytes) -> list[ForwardMsg]:
    """Send a rerun request; the messages up to the successful end of the run."""
    await ws.send(request)
    messages = []
    async with asyncio.timeout(RUN_TIMEOUT_S):
        while True:
            message = ForwardMsg()
            message.ParseFromString(await ws.recv())
            messages.append(message)
            if message.WhichOneof("type") != "script_finished":
                continue
            if message.script_finished == FINISHED.FINISHED_SUCCESSFULLY:
                return messages
            if message.script_finished == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                raise RunFailed("compile error")


def elements(messages: list[ForwardMsg]):
    for message in messages:
        if message.WhichOneof("type") == "delta" and message.delta.HasField("new_element"):
            yield message.delta.new_element


def exceptions(messages: list[ForwardMsg]) -> list[str]:
    return [
        (e.exception.type or "exception") + ": " + e.exception.message.splitlines()[0][:120]
        if e.exception.message
        else "exception"
        for e in elements(messages)
        if e.WhichOneof("type") == "exception"
    ]


def sign_in_widgets(messages: list[ForwardMsg], password: str) -> list:
    """The widget states of a filled-in, submitted sign-in form."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    states = []
    for element in elements(messages):
        kind = element.WhichOneof("type")
        if kind == "text_input" and element.text_input.label in ("User name", "Password"):
            value = BENCH_USER if element.text_input.label == "User name" else password
            states.append(WidgetState(id=element.text_input.id, string_value=value))
        elif kind == "button" and element.button.is_form_submitter:
            states.append(WidgetState(id=element.button.id, trigger_value=True))
    if len(states) != 3:
        raise RunFailed("sign-in form not found")
    return states


def page_hashes(messages: list[ForwardMsg]) -> dict[str, str]:
    """Page title (as in the navigation) -> script hash."""
    hashes = {}
    for message in messages:
        if message.WhichOneof("type") == "navigation":
            for page in message.navigation.app_pages:
                hashes[page.page_name] = page.page_script_hash
    return hashes


class Start:
    """All sessions sign in first; the timed window opens when the last one is ready."""

    def __init__(self, sessions: int, seconds: float):
        self.waiting = sessions
        self.seconds = seconds
        self.event = asyncio.Event()
        self.deadline = 0.0
        self.sign_in_s = 0.0
        self._began = time.monotonic()

    def ready(self) -> None:
        self.waiting -= 1
        if self.waiting == 0:
            self.sign_in_s = time.monotonic() - self._began
            self.deadline = time.monotonic() + self.seconds
            self.event.set()


async def client(
    url: str, password: str, pages: list[str], start: Start, result: LoadResult
) -> None:
    """One session: sign in, wait for the others, then alternate between ``pages``."""
    import websockets

    signed = False
    try:
        async with websockets.connect(
            url, subprotocols=["streamlit"], max_size=None, open_timeout=60
        ) as ws:
            first = await run(ws, rerun())
            signed_in = await run(ws, rerun(widgets=sign_in_widgets(first, password)))
            hashes = page_hashes(signed_in)
            targets = [hashes[name] for name in pages]
            signed = True
            start.ready()
            await start.event.wait()
            turn = 0
            while time.monotonic() < start.deadline:
                started = time.perf_counter()
                messages = await run(ws, rerun(targets[turn % len(targets)]))
                result.responses_ms.append((time.perf_counter() - started) * 1e3)
                result.errors.extend(exceptions(messages))
                turn += 1
    except Exception as error:  # noqa: BLE001 (timeouts, protocol and connection errors)
        result.errors.append(f"{type(error).__name__}: {error}")
    finally:
        if not signed:
            start.ready()


async def _load(base, password, pages, sessions, seconds, result):
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    start = Start(sessions, seconds)
    await asyncio.gather(*(client(url, password, pages, start, result) for _ in range(sessions)))
    result.sign_in_s = start.sign_in_s


def load(
    base: str, password: str, pages: list[str], sessions: int, seconds: float, pid: int
) -> LoadResult:
    """``sessions`` concurrent clients on ``pages`` (titles) for ``seconds``."""
    result = LoadResult(sessions, seconds, pages, rss_start_mib=rss_mib(pid))
    reset_peak(pid)
    logged = log_size()
    # Its own thread: the caller's thread may already run an event loop (Playwright's
    # sync API does), and asyncio.run refuses to nest.
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, _load(base, password, pages, sessions, seconds, result)).result()
    result.server_errors = logged_errors(logged)
    result.rss_end_mib = rss_mib(pid)
    result.peak_mib = peak_mib(pid)
    return result
