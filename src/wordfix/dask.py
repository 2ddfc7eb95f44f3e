"""Restore text at cluster scale with Dask: a Bag of texts or a DataFrame column.

    >>> from dask.distributed import Client
    >>> client = Client("tcp://scheduler:8786")          # or Client() for a local cluster
    >>> import dask.dataframe as dd, wordfix.dask
    >>> ddf = dd.read_parquet("s3://bucket/articles/")
    >>> out = wordfix.dask.restore_dataframe(ddf, "text", min_confidence=0.7)
    >>> out.to_parquet("s3://bucket/articles-restored/")

Only the options (a small, picklable :class:`~wordfix.Config`) travel in the task
graph. Each worker process builds its Restorer the first time a task needs it and
keeps it for every later task with the same options (see
:func:`wordfix.batch.restorer_for`), so tables and the language model load once per
worker, not once per partition. Every worker needs wordfix installed, with
``pip install 'wordfix[dask]'``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Literal

from .batch import RestoreError, restorer_for
from .config import Config
from .restoration import Restoration

INSTALL_HINT = "wordfix.dask needs Dask and pandas: pip install 'wordfix[dask]'"

try:
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd
except ImportError as e:  # an optional extra: say how to get it
    raise ImportError(f"{INSTALL_HINT} ({e})") from e

EDITS_FIELD = "wordfix_edits"  # the same names as the CLI's --jsonl/--csv output
SCORE_FIELD = "wordfix_spin_score"
RESTORED_SUFFIX = "_restored"


def _config(options: dict[str, Any]) -> Config:
    """Options to a Config, checked here on the client rather than on every worker."""
    return Config().with_options(**options) if options else Config()


# -- Bag ---------------------------------------------------------------------------------
def _restore_bag_partition(
    texts: Iterable[object], config: Config, output: str, on_error: str
) -> list[dict | Restoration | RestoreError]:
    r = restorer_for(config)
    out: list[dict | Restoration | RestoreError] = []
    for i, text in enumerate(texts):
        try:
            res = r.restore(text)  # type: ignore[arg-type]  # restore() refuses non-str itself
        except Exception as e:
            if on_error == "raise":
                raise
            err = RestoreError.from_exception(i, e)
            out.append({"error": str(err), "kind": err.kind} if output == "dict" else err)
            continue
        out.append(res.to_dict() if output == "dict" else res)
    return out


def restore_bag(
    bag: db.Bag,
    *,
    output: Literal["dict", "restoration"] = "dict",
    on_error: Literal["raise", "yield"] = "raise",
    **options: Any,
) -> db.Bag:
    """A Bag of restored results, one per text of ``bag``, in the same order.

    ``output="dict"`` gives ``Restoration.to_dict()`` dicts (schema
    ``wordfix.restoration/1``: text, spin_score, spin_reason, edits), ready for
    ``.to_textfiles`` after ``.map(json.dumps)``; ``"restoration"`` gives the objects.
    ``on_error="yield"`` puts a failure in its text's place (a ``{"error", "kind"}``
    dict, or a :class:`~wordfix.batch.RestoreError`) instead of failing the task.
    ``options`` are :class:`~wordfix.Config` options (``min_confidence=0.7``, ...).
    """
    if output not in ("dict", "restoration"):
        raise ValueError(f"output must be 'dict' or 'restoration', not {output!r}")
    if on_error not in ("raise", "yield"):
        raise ValueError(f"on_error must be 'raise' or 'yield', not {on_error!r}")
    return bag.map_partitions(_restore_bag_partition, _config(options), output, on_error)


# -- DataFrame ---------------------------------------------------------------------------
def _restore_frame_partition(
    df: pd.DataFrame, column: str, names: tuple[str, str, str], config: Config, on_error: str
) -> pd.DataFrame:
    restored_name, edits_name, score_name = names
    r = restorer_for(config)
    restored: list[str | None] = []
    edits: list[str | None] = []
    scores: list[float] = []
    for text in df[column]:
        res = None
        if isinstance(text, str):
            try:
                res = r.restore(text)
            except Exception:
                if on_error == "raise":
                    raise
        if res is None:  # a missing value (or a failure under on_error="null") stays missing
            restored.append(None)
            edits.append(None)
            scores.append(float("nan"))
        else:
            restored.append(res.text)
            edits.append(json.dumps([e.to_dict() for e in res.edits], ensure_ascii=False))
            scores.append(round(res.spin_score, 4))
    text_dtype = df[column].dtype if pd.api.types.is_string_dtype(df[column].dtype) else object
    return df.assign(
        **{
            restored_name: pd.Series(restored, index=df.index, dtype=text_dtype),
            edits_name: pd.Series(edits, index=df.index, dtype=text_dtype),
            score_name: pd.Series(scores, index=df.index, dtype="float64"),
        }
    )


def restore_dataframe(
    ddf: dd.DataFrame,
    column: str,
    *,
    on_error: Literal["raise", "null"] = "raise",
    **options: Any,
) -> dd.DataFrame:
    """``ddf`` with three columns added: ``<column>_restored`` (the text),
    ``wordfix_edits`` (a JSON list of edits, as in ``Restoration.to_dict()``) and
    ``wordfix_spin_score`` (0 clean .. 1 heavily spun).

    Missing values stay missing (NA text, NaN score). A text that fails raises in its
    task, or with ``on_error="null"`` is treated as missing. ``options`` are
    :class:`~wordfix.Config` options. Lazy like any Dask operation: nothing runs until
    ``.compute()``, ``.to_parquet()`` and the like.
    """
    if column not in ddf.columns:
        raise KeyError(f"no column {column!r} (columns: {', '.join(map(str, ddf.columns))})")
    if on_error not in ("raise", "null"):
        raise ValueError(f"on_error must be 'raise' or 'null', not {on_error!r}")
    names = (f"{column}{RESTORED_SUFFIX}", EDITS_FIELD, SCORE_FIELD)
    dtypes = ddf.dtypes.to_dict()
    text_dtype = dtypes[column] if pd.api.types.is_string_dtype(dtypes[column]) else object
    meta = {**dtypes, names[0]: text_dtype, names[1]: text_dtype, names[2]: "float64"}
    # Giving meta keeps Dask from calling the function on a dummy partition (which
    # would load a Restorer on the client just to learn the output's columns).
    return ddf.map_partitions(_restore_frame_partition, column, names, _config(options), on_error, meta=meta)
