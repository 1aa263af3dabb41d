"""The drills' shared PostgreSQL cluster (tests/platform/stack.py): migrated and seeded once per run."""

from __future__ import annotations

import pytest

from tests.platform import stack


@pytest.fixture(scope="session")
def drill(tmp_path_factory):
    """A private cluster, migrated and seeded, with the environment of an Alongside process on it.

    Yields (cluster, env, people, var_dir). Drills add rows but never remove any, so each one scopes its
    checks to what it made.
    """
    with stack.cluster() as cluster:
        var_dir = tmp_path_factory.mktemp("var")
        env = stack.app_env(cluster.url, var_dir)
        people = stack.seed(env)
        yield cluster, env, people, var_dir
