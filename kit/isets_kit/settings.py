from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Settings every service has; a service subclasses it with its own env prefix (e.g. INTAKE_)."""

    model_config = SettingsConfigDict(env_prefix="ISETS_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./.state/service.db"
    kafka_bootstrap: str = "127.0.0.1:9092"
    jwt_secret: str = "isets-demo-secret-change-me-in-production"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    kafka_enabled: bool = True  # False only for in-process API tests: events stay in the outbox
    relay_enabled: bool = True
    relay_batch_size: int = 500
    consumer_batch_size: int = 500
    consumer_retries: int = 3
    consumer_backoff_seconds: float = 0.2
    log_level: str = "INFO"
