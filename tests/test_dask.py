"""wordfix.dask on a real dask.distributed cluster of 2 worker processes (skipped
without the ``wordfix[dask]`` extra), and its install hint when Dask is missing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from wordfix.batch import restorer_for

TEXTS = [
    "They area unit Associate in Nursing example.",
    "The committee met on Tuesday.",
    "It is a similar story, and that they area unit tired.",
    "We have a similar goals and a similar interests.",
] * 5


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("dask.distributed")
    pytest.importorskip("dask.dataframe")
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as c:
            yield c


def expected(text: str, **options) -> str:
    from wordfix import Config

    return restorer_for(Config(**options)).restore(text).text


def test_restore_bag_gives_dicts_in_order(client):
    import dask.bag as db

    import wordfix.dask

    out = wordfix.dask.restore_bag(db.from_sequence(TEXTS, npartitions=6)).compute()
    assert [d["text"] for d in out] == [expected(t) for t in TEXTS]
    assert out[0]["schema"] == "wordfix.restoration/1" and out[0]["edits"]
    json.dumps(out)  # ready to write as JSON


def test_restore_bag_restorations_options_and_errors(client):
    import dask.bag as db

    import wordfix
    import wordfix.dask

    bag = db.from_sequence([*TEXTS[:3], b"bytes"], npartitions=2)
    out = wordfix.dask.restore_bag(bag, output="restoration", on_error="yield", protect=["area unit"]).compute()
    assert isinstance(out[0], wordfix.Restoration)
    assert "area unit" in out[0].text  # the option reached the workers
    assert isinstance(out[3], wordfix.batch.RestoreError) and out[3].kind == "TypeError"
    with pytest.raises(TypeError):
        wordfix.dask.restore_bag(bag).compute()


def test_restore_dataframe_adds_columns(client):
    import dask.dataframe as dd
    import pandas as pd

    import wordfix.dask

    df = pd.DataFrame({"id": range(len(TEXTS) + 1), "text": [*TEXTS, None]})
    ddf = dd.from_pandas(df, npartitions=5)
    lazy = wordfix.dask.restore_dataframe(ddf, "text", min_confidence=0.6)
    assert list(lazy.columns) == ["id", "text", "text_restored", "wordfix_edits", "wordfix_spin_score"]
    out = lazy.compute().sort_values("id")
    assert list(out["text_restored"][:-1]) == [expected(t, min_confidence=0.6) for t in TEXTS]
    assert pd.isna(out["text_restored"].iloc[-1]) and pd.isna(out["wordfix_spin_score"].iloc[-1])
    edits = json.loads(out["wordfix_edits"].iloc[0])
    assert edits and edits[0]["before"] in TEXTS[0]
    with pytest.raises(KeyError, match="no column"):
        wordfix.dask.restore_dataframe(ddf, "body")


def test_each_worker_loads_its_restorer_once(client):
    import dask.bag as db

    import wordfix.batch
    import wordfix.dask

    before = client.run(wordfix.batch.restorer_cache_info)
    for _ in range(2):  # 16 partitions over 2 workers, with options no earlier test used
        wordfix.dask.restore_bag(db.from_sequence(TEXTS * 2, npartitions=8), min_confidence=0.55).compute()
    after = client.run(wordfix.batch.restorer_cache_info)
    assert len(after) == 2 and len({i["pid"] for i in after.values()}) == 2
    built = {w: after[w]["builds"] - before[w]["builds"] for w in after}
    assert all(n <= 1 for n in built.values()), built  # once per worker, not per partition
    assert sum(built.values()) >= 1


def test_missing_dask_says_how_to_install():
    code = (
        "import sys; sys.modules['dask'] = None; sys.modules['dask.bag'] = None\n"
        "try:\n    import wordfix.dask\nexcept ImportError as e:\n    print(e)\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "pip install 'wordfix[dask]'" in p.stdout, p.stderr
