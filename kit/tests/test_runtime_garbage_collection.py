import gc

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import MetaData

from isets_kit.runtime import GC_THRESHOLDS, ServiceRuntime
from isets_kit.settings import ServiceSettings


@pytest.fixture
def collector_as_it_was():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_a_started_service_freezes_what_it_loaded_and_collects_young_objects_less_often(tmp_path, collector_as_it_was):
    gc.unfreeze()
    (tmp_path / "env.py").write_text("from sqlalchemy import MetaData\nfrom isets_kit.migrations import run_env\nrun_env(MetaData())\n")
    (tmp_path / "versions").mkdir()
    settings = ServiceSettings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'gc.db'}", demo=True)
    app = ServiceRuntime("collected", settings, MetaData(), tmp_path, messaging=False).create_app([], title="gc")
    assert gc.get_freeze_count() == 0
    with TestClient(app):
        assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_freeze_count() > 10_000
