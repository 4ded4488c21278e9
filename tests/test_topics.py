"""Topics are declared in code and created by the services at start; the broker creates none by itself."""

import asyncio
import importlib
import logging
import uuid
from datetime import timedelta

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import UnknownTopicOrPartitionError

from isets_contracts import topics
from isets_kit.runtime import create_missing_topics

pytestmark = pytest.mark.kafka


def describe(bootstrap: str, names: list[str]) -> dict[str, tuple[int, int]]:
    """Partitions and retention.ms of each existing topic."""

    async def read():
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            found = {t["topic"]: len(t["partitions"]) for t in await admin.describe_topics(names) if t["error_code"] == 0}
            if not found:
                return {}
            responses = await admin.describe_configs(
                [ConfigResource(ConfigResourceType.TOPIC, name, {"retention.ms": None}) for name in found]
            )
            retention = {
                resource[3]: int(value)
                for response in responses
                for resource in response.resources
                for name, value, *_ in resource[4]
                if name == "retention.ms"
            }
            return {name: (partitions, retention[name]) for name, partitions in found.items()}
        finally:
            await admin.close()

    return asyncio.run(read())


def test_declared_topics_exist_with_their_partitions_and_retention_once_the_stack_runs(stack, infrastructure):
    declared = {
        topic.name: topic
        for service in ("ies_sync", "intake")
        for topic in importlib.import_module(f"{service}.main").create_app().state.runtime.topics
    }
    assert {topics.IES_SYNC, topics.INTAKE, topics.CASEMGMT, topics.dead_letter("intake")} <= set(declared)
    assert describe(infrastructure, list(declared)) == {
        name: (topic.partitions, int(topic.retention.total_seconds() * 1000)) for name, topic in declared.items()
    }


def test_producing_to_an_undeclared_topic_fails_because_the_broker_creates_no_topic(infrastructure):
    undeclared = f"isets.undeclared.{uuid.uuid4().hex}"

    async def send():
        producer = AIOKafkaProducer(bootstrap_servers=infrastructure, request_timeout_ms=3000)
        await producer.start()
        try:
            await producer.send_and_wait(undeclared, b"{}", key=b"1")
        finally:
            await producer.stop()

    with pytest.raises(UnknownTopicOrPartitionError):
        asyncio.run(send())
    assert describe(infrastructure, [undeclared]) == {}


def test_a_topic_with_fewer_partitions_than_declared_is_reported_and_left_as_it_is(infrastructure, caplog):
    name = f"isets.test_{uuid.uuid4().hex}.v1"
    retention = timedelta(days=30)
    assert asyncio.run(create_missing_topics(infrastructure, [topics.Topic(name, 2, retention)])) == [name]
    with caplog.at_level(logging.WARNING, logger="isets.runtime"):
        assert asyncio.run(create_missing_topics(infrastructure, [topics.Topic(name, 6, retention)])) == []
    assert describe(infrastructure, [name])[name][0] == 2
    assert f"topic {name} has 2 partitions, 6 declared" in caplog.text
