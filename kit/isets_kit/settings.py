import os
from typing import Literal

from pydantic import SecretStr, TypeAdapter, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The public DEMO key pair: anyone can read it here, so anyone could sign tokens with it. A service
# refuses to start with it unless ISETS_DEMO=true (the local launcher and the tests set it).
DEMO_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAXCCx3xq+GgTRNt+fARnb7Glws17EFGnRS4dxqImE5nY=
-----END PUBLIC KEY-----
"""
DEMO_SIGNING_KEY = """-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIIVr0J09pm54x51IOBc+TFPyqEm4AA19VFoUaJvg7Bac
-----END PRIVATE KEY-----
"""

# Set once as ISETS_<NAME> for every service, unless a service's own prefix sets it.
SHARED = ("demo", "log_level", "jwt_issuer", "jwt_audience", "jwt_jwks_url", "jwt_public_key")


class DemoKeyRefused(RuntimeError):
    pass


class ServiceSettings(BaseSettings):
    """Settings every service has; a service subclasses it with its own env prefix (e.g. INTAKE_)."""

    model_config = SettingsConfigDict(env_prefix="ISETS_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./.state/service.db"
    kafka_bootstrap: str = "127.0.0.1:9092"
    topic_replication_factor: int = 1  # of the topics a service creates at start (3 on a production cluster)
    demo: bool = False  # accept the public demo key pair (one-machine demo and tests only)
    # Tokens: checked against the issuer's keys, fetched from its JWKS URL (the gateway's
    # /.well-known/jwks.json or an OIDC provider's), or else against one configured public key (PEM).
    jwt_issuer: str = "isets-gateway"
    jwt_audience: str = "isets"
    jwt_algorithms: list[str] = ["EdDSA"]
    jwt_jwks_url: str | None = None
    jwt_public_key: SecretStr = SecretStr(DEMO_PUBLIC_KEY)
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
        """ISETS_<NAME> of the SHARED settings applies to every service unless its own prefix sets it."""
        for name in SHARED:
            shared = os.environ.get(f"ISETS_{name.upper()}")
            if shared and name not in self.model_fields_set:
                setattr(self, name, TypeAdapter(type(self).model_fields[name].annotation).validate_python(shared))
        return self

    @property
    def uses_demo_key(self) -> bool:
        return self.jwt_jwks_url is None and self.jwt_public_key.get_secret_value().strip() == DEMO_PUBLIC_KEY.strip()

    def refuse_demo_key(self, service: str) -> None:
        """Called at start: the public demo key is refused unless the demo flag is set."""
        if self.uses_demo_key and not self.demo:
            raise DemoKeyRefused(
                f"{service} would trust tokens signed with the public demo key: configure its token keys "
                "(ISETS_JWT_JWKS_URL or ISETS_JWT_PUBLIC_KEY), or set ISETS_DEMO=true for a demo"
            )
