from isets_kit.migrations import run_env
from casemgmt.adapters.orm import metadata

run_env(metadata)
