"""The gateway's one OpenAPI document: its own routes plus every route it forwards, composed from the
services' own documents (fetched from them, cached, refreshed), paths moved under the gateway's prefixes.

Also the route templates of forwarded requests (for metrics, logs and the access audit) and the AsyncAPI
index of every messaging service.
"""

import asyncio
import copy
import logging
import re
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from isets_kit import registry
from gateway.adapters import overview_api
from gateway.adapters.upstream import CASEMGMT, IES_SYNC, INTAKE, Upstreams

log = logging.getLogger("gateway.api_docs")
RETRY_SECONDS = 2.0
REFRESH_SECONDS = 600.0
IDEMPOTENCY_KEY = "Idempotency-Key"
IDEMPOTENCY_PARAMETER = {
    "name": IDEMPOTENCY_KEY,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": "Repeating a POST with the same key returns the first answer (header Idempotent-Replayed: true) "
    "instead of forwarding it again.",
}


@dataclass(frozen=True)
class Mount:
    """Paths under `upstream_prefix` of `service` are served by the gateway under `prefix`."""

    prefix: str
    service: str
    upstream_prefix: str
    tag: str

    def gateway_path(self, upstream_path: str) -> str | None:
        if upstream_path == self.upstream_prefix or upstream_path.startswith(self.upstream_prefix + "/"):
            return self.prefix + upstream_path[len(self.upstream_prefix) :]
        return None


MOUNTS = (
    Mount("/api/customers", INTAKE, "/customers", "customers (intake)"),
    Mount("/api/ies/imports", IES_SYNC, "/imports", "IES sync (ies_sync)"),
    Mount("/api/ies/persons", IES_SYNC, "/persons", "IES sync (ies_sync)"),
    Mount("/api/plans", CASEMGMT, "/plans", "employment plan (casemgmt)"),
    Mount("/api/providers", CASEMGMT, "/providers", "providers and program contracts (casemgmt)"),
    Mount("/api/locations", CASEMGMT, "/locations", "providers and program contracts (casemgmt)"),
    Mount("/api/program-contracts", CASEMGMT, "/program-contracts", "providers and program contracts (casemgmt)"),
    Mount("/api/employers", CASEMGMT, "/employers", "employers, worksites and jobs (casemgmt)"),
    Mount("/api/worksites", CASEMGMT, "/worksites", "employers, worksites and jobs (casemgmt)"),
    Mount("/api/jobs", CASEMGMT, "/jobs", "employers, worksites and jobs (casemgmt)"),
    Mount("/api/due-items", CASEMGMT, "/due-items", "due items (casemgmt)"),
    Mount("/api/reports", CASEMGMT, "/reports", "reports (casemgmt)"),
    Mount("/api/attendance", CASEMGMT, "/attendance", "attendance (casemgmt)"),
    Mount("/api/abawd", CASEMGMT, "/abawd", "ABAWD 80-hour tracker (casemgmt)"),
)


@dataclass(frozen=True)
class Template:
    path: str
    pattern: re.Pattern

    @classmethod
    def of(cls, path: str) -> "Template":
        regex = re.sub(r"\\\{(\w+)\\\}", lambda name: f"(?P<{name.group(1)}>[^/]+)", re.escape(path))
        return cls(path, re.compile(regex))


def _rename_refs(node, renamed: dict[str, str]):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            node = node | {"$ref": f"#/components/schemas/{renamed.get(name, name)}"}
        return {key: _rename_refs(value, renamed) for key, value in node.items()}
    if isinstance(node, list):
        return [_rename_refs(item, renamed) for item in node]
    return node


class ApiDocs:
    def __init__(self, upstreams: Upstreams, mounts: tuple[Mount, ...] = MOUNTS):
        self.upstreams = upstreams
        self.mounts = mounts
        self.service_docs: dict[str, dict] = {}
        self.event_docs: dict[str, dict] = {}
        self._templates: list[Template] = []

    @property
    def services(self) -> list[str]:
        return sorted({mount.service for mount in self.mounts})

    async def load(self) -> bool:
        """Fetch every service's documents; True when all of them answered."""
        complete = True
        for service in self.services:
            try:
                self.service_docs[service] = await self.upstreams.get_json(service, "/openapi.json")
                if _messaging(service):
                    self.event_docs[service] = await self.upstreams.get_json(service, "/asyncapi.json")
            except Exception as error:
                complete = False
                log.warning("no API document from %s yet (%s)", service, type(error).__name__)
        self._templates = sorted(
            (Template.of(path) for path in self._forwarded_paths()),
            key=lambda template: (template.path.count("{"), -len(template.path)),
        )
        return complete

    async def keep_loaded(self) -> None:
        """Until every service answered, retry every few seconds; then refresh now and then."""
        while True:
            complete = await self.load()
            await asyncio.sleep(REFRESH_SECONDS if complete else RETRY_SECONDS)

    def _forwarded_paths(self):
        for mount in self.mounts:
            for upstream_path in self.service_docs.get(mount.service, {}).get("paths", {}):
                if (path := mount.gateway_path(upstream_path)) is not None:
                    yield path

    def match(self, path: str) -> tuple[str, dict[str, str]] | None:
        """The forwarded route template a gateway path falls under, and its path values."""
        for template in self._templates:
            if found := template.pattern.fullmatch(path):
                return template.path, found.groupdict()
        return None

    def compose(self, app: FastAPI) -> dict:
        document = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = document.setdefault("components", {})
        for service in self.services:
            source = self.service_docs.get(service)
            if source is None:
                continue
            renamed = self._merge_components(components, source.get("components", {}), service)
            for mount in (mount for mount in self.mounts if mount.service == service):
                for upstream_path, operations in source.get("paths", {}).items():
                    path = mount.gateway_path(upstream_path)
                    if path is None:
                        continue
                    document["paths"][path] = {
                        method: self._forwarded_operation(operation, method, service, mount)
                        for method, operation in _rename_refs(operations, renamed).items()
                    }
        if INTAKE in self.service_docs:
            document["paths"][overview_api.ROUTE] = overview_api.openapi_operation()
            components.setdefault("schemas", {})["CustomerOverview"] = overview_api.openapi_schema()
        return document

    @staticmethod
    def _merge_components(components: dict, source: dict, service: str) -> dict[str, str]:
        """Components of `source` join the document's; a name taken by a different definition gets the
        service's name in front. Returns the schema names that changed."""
        taken = components.get("schemas", {})
        renamed = {
            name: f"{service}_{name}"
            for name, definition in source.get("schemas", {}).items()
            if name in taken and taken[name] != _rename_refs(definition, {})
        }
        for kind, definitions in source.items():
            target = components.setdefault(kind, {})
            for name, definition in definitions.items():
                definition = _rename_refs(definition, renamed)
                if kind == "schemas":
                    target[renamed.get(name, name)] = definition
                elif name not in target:
                    target[name] = definition
        return renamed

    @staticmethod
    def _forwarded_operation(operation: dict, method: str, service: str, mount: Mount) -> dict:
        operation = copy.deepcopy(operation)
        operation["operationId"] = f"{service}_{operation.get('operationId', method)}"
        operation["tags"] = [mount.tag]
        operation["description"] = (operation.get("description", "") + f"\n\nForwarded with the caller's token to {service}.").strip()
        if method == "post":
            operation["parameters"] = [*operation.get("parameters", []), IDEMPOTENCY_PARAMETER]
        responses = operation.setdefault("responses", {})
        for status, meaning in (("502", "the service gave no usable answer"), ("503", "the service is unreachable"), ("504", "the service did not answer in time")):
            responses.setdefault(status, {"description": f"From the gateway: {meaning}"})
        return operation

    def asyncapi_index(self) -> dict:
        return {"services": {service: document for service, document in sorted(self.event_docs.items())}}


def _messaging(service: str) -> bool:
    return registry.service(service).messaging
