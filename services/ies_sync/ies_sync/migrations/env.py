from isets_kit.migrations import run_env
from ies_sync.adapters.orm import metadata

run_env(metadata)
