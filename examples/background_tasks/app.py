"""Background tasks that run after a JSON response was sent.

Run: ``hatch run uvicorn --app-dir examples/background_tasks app:app``
"""

from __future__ import annotations

from asgi_core import BackgroundTasks, Request
from asgi_framework import App
from asgi_responses import JSONResponse
from asgi_routing import Route

OUTBOX: list[str] = []  # stands for an email service


def send_welcome_email(address: str) -> None:
    """A blocking call: background tasks run sync functions in the thread pool."""
    OUTBOX.append(f"welcome {address}")


async def audit(action: str, address: str) -> None:
    OUTBOX.append(f"audit {action} {address}")


async def signup(request: Request) -> JSONResponse:
    data = await request.json()
    tasks = BackgroundTasks()
    tasks.add_task(send_welcome_email, data["email"])
    tasks.add_task(audit, "signup", data["email"])
    return JSONResponse(
        {"status": "registered", "email": data["email"]}, status_code=201, background=tasks
    )


async def outbox(request: Request) -> JSONResponse:
    return JSONResponse(OUTBOX)


app = App(routes=[Route("/signup", signup, methods=["POST"]), Route("/outbox", outbox)])
