"""casemgmt in process on SQLite without Kafka (see isets_kit.testing), and the events it learns customers
from: registered by intake, enrolled at a location, exited by outcomes."""

from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from isets_contracts.events import CustomerEnrolled, CustomerExited, CustomerRegistered
from isets_contracts.reference import ExitCompletionStatus, Program, Role
from isets_kit import testing
from isets_kit.testing import auth_headers
from casemgmt import service_layer
from casemgmt.main import Settings, create_app

STATEWIDE = auth_headers(Role.STATEWIDE)


def make_client(tmp_path: Path) -> TestClient:
    return testing.make_client(create_app, Settings, tmp_path)


def apply_event(client: TestClient, payload, subject: str) -> None:
    testing.apply_event(client, service_layer.EVENT_HANDLERS, payload, subject)


def register(client: TestClient, customer_id: str = "c-1", individual_number: str = "100000001") -> str:
    apply_event(
        client,
        CustomerRegistered(customer_id=customer_id, individual_number=individual_number, first_name="Tom", last_name="Juan"),
        customer_id,
    )
    return customer_id


def enrol(
    client: TestClient, customer_id: str, location: str = "LOC-A", program: Program = Program.SNAP_JP, on: date = date(2026, 11, 2)
) -> None:
    apply_event(
        client, CustomerEnrolled(customer_id=customer_id, location=location, program=program, enrollment_date=on), customer_id
    )


def exit_from(client: TestClient, customer_id: str, location: str = "LOC-A", on: date = date(2026, 11, 20)) -> None:
    apply_event(
        client,
        CustomerExited(
            customer_id=customer_id, location=location, program=Program.SNAP_JP,
            completion_status=ExitCompletionStatus.MOVED, program_completion_date=on,
        ),
        customer_id,
    )
