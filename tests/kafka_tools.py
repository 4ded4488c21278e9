"""Direct broker access for tests: publish raw records, read end offsets and dead letters."""

import asyncio

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from isets_contracts import topics
from isets_kit.runtime import create_missing_topics


def produce(bootstrap: str, topic: str, records: list[tuple[bytes, bytes]], partition: int | None = None) -> None:
    """To a declared topic, created first if no service has created it yet (the broker auto-creates none)."""

    async def send():
        await create_missing_topics(bootstrap, [topics.declared(topic)])
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
        await producer.start()
        try:
            for key, value in records:
                await producer.send_and_wait(topic, value, key=key, partition=partition)
        finally:
            await producer.stop()

    asyncio.run(send())


def end_offsets(bootstrap: str, topic: str) -> int:
    """Sum of the end offsets of every partition of a topic (0 if it does not exist yet)."""

    async def read():
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
        await consumer.start()
        try:
            partitions = consumer.partitions_for_topic(topic) or set()
            if not partitions:
                await consumer._client.force_metadata_update()
                partitions = consumer.partitions_for_topic(topic) or set()
            offsets = await consumer.end_offsets([TopicPartition(topic, p) for p in partitions])
            return sum(offsets.values())
        finally:
            await consumer.stop()

    return asyncio.run(read())


async def read_to_end(bootstrap: str, topic: str) -> list:
    """Every record of a topic, up to its end offsets when called (no consumer group: nothing committed)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None)
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not partitions:
            return []
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        records = []
        while any([await consumer.position(p) < end for p, end in ends.items()]):
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                records.extend(batch)
        return records
    finally:
        await consumer.stop()


def read_all(bootstrap: str, topic: str, timeout_ms: int = 3000) -> list:
    async def read():
        consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None)
        await consumer.start()
        try:
            batches = await consumer.getmany(timeout_ms=timeout_ms)
            return [record for records in batches.values() for record in records]
        finally:
            await consumer.stop()

    return asyncio.run(read())
