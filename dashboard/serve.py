"""The launcher: the dashboard (``app.py``) served by Streamlit with the two routes of the
HttpOnly session cookie. Start it like any Streamlit script, with the same flags:

    streamlit run dashboard/serve.py --server.port 8501

``make run``, the scale-out replicas (``scripts/scaleout.sh``) and the browser tests
(``bench/serve.py``) all do. Streamlit (1.67) sets no cookie itself; ``st.App`` serves
extra Starlette routes beside its own, and these answer with ``Set-Cookie``:

- ``POST /leadops/session`` with a sign-in's one-time nonce as the body: the session's
  cookie, ``HttpOnly; SameSite=Strict; Path=/`` (``Secure`` when served over HTTPS, also
  behind a proxy that says ``X-Forwarded-Proto: https``). A used, expired or unknown
  nonce gets 403 and no cookie.
- ``POST /leadops/signout``: the cookie's session ends and the cookie is cleared.

Both refuse a request whose ``Origin`` is another site (403). Under a base path
(``--server.baseUrlPath dash``) the routes and the cookie's path move with the app:
``/dash/leadops/session``, ``Path=/dash/``. See ``dashboard.auth_cookie``
and docs/access.md ("Sessions").
"""

import sys
from pathlib import Path
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from streamlit.starlette import App

# As app.py: `streamlit run` puts dashboard/ first on the path, where accounts/ is a page.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import auth_cookie  # noqa: E402

MAX_BODY = 256


def _cross_site(request: Request) -> bool:
    origin = request.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc != request.headers.get("host")


def _secure(request: Request) -> bool:
    proto = request.headers.get("x-forwarded-proto", request.url.scheme)
    return proto.split(",")[0].strip() == "https"


def _with_cookie(request: Request, value: str, max_age: int) -> Response:
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        auth_cookie.COOKIE,
        value,
        max_age=max_age,
        path=auth_cookie.route(),
        secure=_secure(request),
        httponly=True,
        samesite="strict",
    )
    return response


async def claim_cookie(request: Request) -> Response:
    """The session's HttpOnly cookie for a sign-in's one-time nonce."""
    if _cross_site(request):
        return Response("refused", status_code=403)
    nonce = (await request.body())[:MAX_BODY].decode("ascii", errors="replace")
    claimed = await run_in_threadpool(auth_cookie.claim, nonce)
    if claimed.outcome != "ok":
        return Response("refused", status_code=403, headers={"Cache-Control": "no-store"})
    return _with_cookie(request, claimed.cookie, claimed.max_age)


async def sign_out(request: Request) -> Response:
    """End the session the cookie names and clear the cookie."""
    if _cross_site(request):
        return Response("refused", status_code=403)
    await run_in_threadpool(auth_cookie.end_cookie, request.cookies.get(auth_cookie.COOKIE))
    return _with_cookie(request, "", 0)


app = App(
    "app.py",
    routes=[
        Route(auth_cookie.route(auth_cookie.CLAIM_PATH), claim_cookie, methods=["POST"]),
        Route(auth_cookie.route(auth_cookie.SIGN_OUT_PATH), sign_out, methods=["POST"]),
    ],
)
