"""One service's runtime: settings, database, broker, outbox relay, consumers and the HTTP app."""

import asyncio
import contextlib
import gc
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Union

import uvicorn
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from fastapi import APIRouter, FastAPI
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from sqlalchemy import MetaData

from isets_contracts import topics
from isets_contracts.envelope import EVENT_TYPES, envelope_of
from isets_kit.consumer import EventConsumer
from isets_kit.db import ReadViews, make_engine, make_read_engine, make_sessions
from isets_kit.housekeeping import prune_forever
from isets_kit.http_metrics import HttpMetrics
from isets_kit.http import install_error_handlers, install_request_context, operations_router
from isets_kit.logging import configure_logging
from isets_kit.migrations import upgrade_to_head
from isets_kit.relay import KafkaSender, OutboxRelay, TopicLimits
from isets_kit.settings import ServiceSettings
from isets_kit.unit_of_work import UnitOfWork

log = logging.getLogger("isets.runtime")

# Python's collector visits its youngest objects every 700 allocations and, now and then, every object the
# service imported: 30-40 % of an extract import's CPU. Started services freeze what they have loaded out of
# its reach and collect the youngest generation every 10,000 allocations (memory stays flat: few of the
# objects made per row are cycles).
GC_THRESHOLDS = (10_000, 10, 10)


def tune_garbage_collection() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def envelope_schema_of(topic: str):
    """For the AsyncAPI document: the envelopes of every event published on a topic."""
    payloads = [envelope_of(cls) for cls in EVENT_TYPES.values() if cls.topic == topic]
    return Union[tuple(payloads)] if payloads else None


async def create_missing_topics(
    bootstrap: str, declarations: Iterable[topics.Topic], replication_factor: int = 1
) -> list[str]:
    """Create the declared topics that do not exist yet; returns their names. Safe to run from every replica.
    A topic that exists with fewer partitions than declared is reported, never changed (more partitions
    would move keys to other partitions and break their order)."""
    wanted = {topic.name: topic for topic in declarations}
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="isets-topics")
    await admin.start()
    try:
        # Described only once listed: a metadata request naming a missing topic lets a broker that
        # auto-creates topics create it with its defaults.
        listed = [name for name in await admin.list_topics() if name in wanted]
        existing = {found["topic"]: found for found in await admin.describe_topics(listed)} if listed else {}
        for name, found in existing.items():
            if len(found["partitions"]) < wanted[name].partitions:
                log.warning(
                    "topic %s has %d partitions, %d declared: left as it is",
                    name, len(found["partitions"]), wanted[name].partitions,
                )
        missing = [topic for name, topic in wanted.items() if name not in existing]
        if not missing:
            return []
        response = await admin.create_topics(
            [NewTopic(topic.name, topic.partitions, replication_factor, topic_configs=topic.config) for topic in missing]
        )
        created = []
        for name, error_code, *_ in response.topic_errors:
            if error_code == 0:
                created.append(name)
            elif error_code != TopicAlreadyExistsError.errno:  # another replica was first
                raise RuntimeError(f"could not create topic {name}: Kafka error {error_code}")
        if created:
            log.info("created topics %s", ", ".join(sorted(created)))
        return created
    finally:
        await admin.close()


class ServiceRuntime:
    def __init__(
        self,
        name: str,
        settings: ServiceSettings,
        metadata: MetaData,
        migrations_dir: Path,
        topic: str | None = None,
        messaging: bool = True,
    ):
        """`topic`: the one topic this service publishes to (None: it publishes nothing).
        `messaging=False`: a service that neither publishes nor consumes (no broker, no outbox/inbox)."""
        self.name = name
        self.topic = topic
        self.settings = settings
        self.topics: list[topics.Topic] = [topics.declared(topic)] if topic and messaging else []
        self.metadata = metadata
        self.migrations_dir = migrations_dir
        self.engine = make_engine(settings.database_url)
        self.sessions = make_sessions(self.engine)
        self.read_engine = make_read_engine(settings.database_url, self.engine)
        self.reads = ReadViews(settings.database_url, self.read_engine)  # runs read-only views
        self.read_sessions = make_sessions(self.read_engine)  # for read-only streams
        self.outbox = metadata.tables["outbox"] if messaging else None
        self.inbox = metadata.tables["inbox"] if messaging else None
        self.broker = (
            KafkaBroker(
                settings.kafka_bootstrap, enable_idempotence=True, client_id=f"isets-{name}", logger=logging.getLogger(name),
                linger_ms=settings.kafka_linger_ms, max_batch_size=settings.kafka_batch_bytes,
                compression_type=settings.kafka_compression,
            )
            if messaging
            else None
        )
        self._outbox_written = asyncio.Event()
        self.sender: KafkaSender | None = None
        self.relay: OutboxRelay | None = None
        if topic and messaging:
            # Declared for the AsyncAPI document; the relay sends through its own producer.
            self.broker.publisher(topic, title=f"{topic}:Publish", schema=envelope_schema_of(topic))
            self.sender = KafkaSender(
                topic, bootstrap_servers=settings.kafka_bootstrap, client_id=f"isets-{name}-relay",
                linger_ms=settings.kafka_linger_ms, max_batch_size=settings.kafka_batch_bytes,
                compression_type=settings.kafka_compression,
            )
            self.relay = OutboxRelay(
                self.sessions, self.outbox, {topic: self.sender}, self._outbox_written,
                batch_size=settings.relay_batch_size, limits=TopicLimits(settings.kafka_bootstrap),
            )
        self.consumers: list[EventConsumer] = []

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.outbox, self.name, self._outbox_written, topic=self.topic)

    def consume(self, handlers: dict, group: str | None = None) -> EventConsumer:
        if self.broker is None:
            raise RuntimeError(f"{self.name} was built with messaging=False and cannot consume events")
        consumer = EventConsumer(
            group=group or self.name,
            broker=self.broker,
            unit_of_work=self.unit_of_work,
            metadata=self.metadata,
            handlers=handlers,
            retries=self.settings.consumer_retries,
            backoff_seconds=self.settings.consumer_backoff_seconds,
            batch_size=self.settings.consumer_batch_size,
        )
        self.consumers.append(consumer)
        for name in sorted({cls.topic for cls in handlers}) + [consumer.dead_letter_topic]:
            if topics.declared(name) not in self.topics:
                self.topics.append(topics.declared(name))
        return consumer

    def create_app(self, routers: Iterable[APIRouter], title: str, description: str = "") -> FastAPI:
        configure_logging(self.name, self.settings.log_level)

        @contextlib.asynccontextmanager
        async def lifespan(app: FastAPI):
            self.settings.refuse_demo_key(self.name)
            await upgrade_to_head(self.migrations_dir, self.settings.database_url)
            kafka = self.broker is not None and self.settings.kafka_enabled
            if kafka:
                await create_missing_topics(
                    self.settings.kafka_bootstrap, self.topics, self.settings.topic_replication_factor
                )
                await self.broker.start()
            tasks = []
            if kafka and self.relay is not None and self.settings.relay_enabled:
                await self.sender.start()
                tasks.append(asyncio.create_task(self.relay.run_forever(), name=f"{self.name}-outbox-relay"))
            if self.outbox is not None:
                settings = self.settings
                tasks.append(
                    asyncio.create_task(
                        prune_forever(
                            self.sessions,
                            self.outbox,
                            self.inbox,
                            settings.outbox_retention_days,
                            settings.inbox_retention_days,
                            settings.housekeeping_interval_seconds,
                        ),
                        name=f"{self.name}-housekeeping",
                    )
                )
            tune_garbage_collection()
            log.info("%s started", self.name)
            try:
                yield
            finally:
                for task in tasks:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                # Each closes even if one before it failed (the stack runs them last first).
                async with contextlib.AsyncExitStack() as closing:
                    closing.push_async_callback(self.reads.dispose)
                    if self.read_engine is not self.engine:
                        closing.push_async_callback(self.read_engine.dispose)
                    closing.push_async_callback(self.engine.dispose)
                    if kafka:
                        closing.push_async_callback(self.broker.stop)
                    if self.sender is not None:
                        closing.push_async_callback(self.sender.stop)

        app = FastAPI(title=title, description=description, lifespan=lifespan)
        app.state.settings = self.settings
        app.state.runtime = self
        install_request_context(app)
        install_error_handlers(app)
        app.add_middleware(HttpMetrics, service=self.name)
        app.include_router(operations_router(self.engine, self.broker and (lambda: self.broker.ping(timeout=2))))
        for router in routers:
            app.include_router(router)

        if self.broker is not None:

            @app.get("/asyncapi.json", tags=["operations"], include_in_schema=False)
            async def asyncapi():
                return AsyncAPI(self.broker, title=f"{title} events").to_specification().to_jsonable()

        return app

    def serve(self, app: FastAPI) -> None:
        uvicorn.run(app, host=self.settings.http_host, port=self.settings.http_port, log_config=None, workers=1)
