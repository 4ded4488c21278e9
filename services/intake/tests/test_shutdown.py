"""At shutdown every engine of the service is closed, even when one before it fails to close."""

import pytest

from services.intake.tests.api_fixtures import make_client


class FailsToClose:
    def __init__(self, engine):
        self.engine = engine

    async def dispose(self):
        await self.engine.dispose()
        raise RuntimeError("the engine would not close")


def test_every_engine_is_closed_at_shutdown_even_when_one_fails_to_close(tmp_path):
    client = make_client(tmp_path)
    closed = []
    with pytest.raises(RuntimeError, match="would not close"):
        with client:
            runtime = client.app.state.runtime
            read_views_dispose = runtime.reads.dispose

            async def noted_dispose():
                closed.append("read views")
                await read_views_dispose()

            runtime.engine = FailsToClose(runtime.engine)
            runtime.reads.dispose = noted_dispose
    assert closed == ["read views"]
