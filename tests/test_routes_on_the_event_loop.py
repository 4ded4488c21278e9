"""Every route of every registry service runs on the event loop: FastAPI runs a plain-def endpoint or
dependency in a worker thread, one thread hop (and a fight for the GIL) on every request that uses it."""

import importlib
import inspect

import pytest

from isets_kit import registry

# Signing in is rare, and FastAPI's OAuth2 password form (a class, so run in a thread) documents the form.
MAY_USE_A_THREAD = {"/auth/token"}


def _routes(routes):
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI keeps an included router as one entry
        if included is not None:
            yield from _routes(included.routes)
        elif hasattr(route, "dependant"):
            yield route


def _runs_in_a_thread(call) -> bool:
    if inspect.isclass(call):
        return True  # FastAPI builds a class dependency in a worker thread
    function = call if inspect.isroutine(call) else type(call).__call__
    return not (inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function))


def _threaded(dependant, route_path: str) -> set[str]:
    found = set()
    for dependency in dependant.dependencies:
        if dependency.call is not None and _runs_in_a_thread(dependency.call):
            found.add(f"{route_path}: {getattr(dependency.call, '__qualname__', dependency.call)}")
        found |= _threaded(dependency, route_path)
    return found


@pytest.mark.parametrize("service", [service.name for service in registry.services()])
def test_no_route_runs_its_endpoint_or_a_dependency_in_a_worker_thread(service, monkeypatch, tmp_path):
    monkeypatch.setenv("ISETS_DEMO", "true")
    monkeypatch.chdir(tmp_path)  # a default SQLite file, if the app makes one, lands here
    app = importlib.import_module(f"{registry.service(service).module.split('.')[0]}.main").create_app()
    routes = list(_routes(app.routes))
    assert routes, "found the service's routes"
    threaded = set()
    for route in routes:
        if route.path in MAY_USE_A_THREAD:
            continue
        if _runs_in_a_thread(route.endpoint):
            threaded.add(f"{route.path}: the endpoint")
        threaded |= _threaded(route.dependant, route.path)
    assert not threaded
