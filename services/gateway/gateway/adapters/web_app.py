"""The staff web app (web/, built by Vite into web/dist) served at `/`.

A file of the build is served as it is; any other path outside the gateway's own prefixes is a route of
the app, answered with index.html so a reload or a shared link opens the same screen.
"""

from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse

# Paths the gateway answers itself: never the app's index.html, so an unknown API path stays a 404.
GATEWAY_PREFIXES = ("api", "auth", ".well-known", "docs", "redoc", "openapi.json", "metrics", "healthz", "readyz", "asyncapi.json")
NO_CACHE = {"Cache-Control": "no-cache"}
IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}  # Vite names assets by their content hash


def serve_web_app(app: FastAPI, build_dir: Path) -> None:
    root = build_dir.resolve()
    index = root / "index.html"

    async def web_app(path: str = ""):
        if path.split("/", 1)[0] in GATEWAY_PREFIXES or not index.is_file():
            raise HTTPException(404, "not found")
        file = (root / path).resolve()
        if path and file.is_file() and file.is_relative_to(root):
            return FileResponse(file, headers=IMMUTABLE if path.startswith("assets/") else NO_CACHE)
        return FileResponse(index, headers=NO_CACHE)

    app.add_api_route("/", web_app, methods=["GET"], include_in_schema=False)
    app.add_api_route("/{path:path}", web_app, methods=["GET"], include_in_schema=False)
