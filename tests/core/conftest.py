import pytest


@pytest.fixture(autouse=True)
def _journal_checkpoints_in_tmp(settings, tmp_path):
    """Never read or write the checkpoints of a `make run` under var/."""
    settings.JOURNAL_CHECKPOINT_DIR = str(tmp_path / "journal-checkpoints")
    settings.JOURNAL_CHECKPOINT_KEY = ""
    settings.JOURNAL_CHECKPOINT_PUBLIC_KEYS = []
