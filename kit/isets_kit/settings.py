import os
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Signs the demo's tokens. Production sets ISETS_JWT_SECRET (all services) or <PREFIX>JWT_SECRET (one).
DEMO_JWT_SECRET = "isets-demo-secret-change-me-in-production"


class ServiceSettings(BaseSettings):
    """Settings every service has; a service subclasses it with its own env prefix (e.g. INTAKE_)."""

    model_config = SettingsConfigDict(env_prefix="ISETS_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./.state/service.db"
    kafka_bootstrap: str = "127.0.0.1:9092"
    topic_replication_factor: int = 1  # of the topics a service creates at start (3 on a production cluster)
    jwt_secret: str = DEMO_JWT_SECRET
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    kafka_enabled: bool = True  # False only for in-process API tests: events stay in the outbox
    relay_enabled: bool = True
    relay_batch_size: int = 5000  # outbox rows per relay cycle (one read, one bulk "sent" update)
    consumer_batch_size: int = 1000  # records per consumed batch (one transaction, one inbox insert)
    # The producer groups records per partition for up to kafka_linger_ms or kafka_batch_bytes; an extract's
    # events then go out in a few large requests. Compression (gzip, stdlib) trades CPU for broker I/O: off.
    kafka_linger_ms: int = 20
    kafka_batch_bytes: int = 256 * 1024  # well under a topic's max.message.bytes (1 MiB): a batch is one message to it
    kafka_compression: Literal["gzip"] | None = None
    consumer_retries: int = 3
    consumer_backoff_seconds: float = 0.2
    log_level: str = "INFO"
    outbox_retention_days: int = 7  # published rows only
    inbox_retention_days: int = 30  # the service topics' retention (isets_contracts.topics) is as long
    housekeeping_interval_seconds: float = 3600

    @model_validator(mode="after")
    def _shared_values(self) -> "ServiceSettings":
        """ISETS_JWT_SECRET and ISETS_LOG_LEVEL apply to every service unless its own prefix sets them."""
        for name in ("jwt_secret", "log_level"):
            shared = os.environ.get(f"ISETS_{name.upper()}")
            if shared and name not in self.model_fields_set:
                setattr(self, name, shared)
        return self

    @property
    def uses_demo_secret(self) -> bool:
        return self.jwt_secret == DEMO_JWT_SECRET
