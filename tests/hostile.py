"""What the hostile-input test modules share: a spun sample, hypothesis settings, helpers."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, settings

from wordfix.batch import restorer_for

TAIL = (
    " We ne'er ascertain those that conjointly square measure obsessed with it, however the sole metric"
    " within the finish that basically counts is revenue."
)
SPUN = "They area unit Associate in Nursing example, and it is a similar story." + TAIL + "\n"
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def restored(text: str) -> str:
    return restorer_for().restore(text).text


def strict_json(line: str) -> object:
    """JSON as a strict reader takes it: NaN and Infinity are errors."""

    def bad(name: str) -> object:
        raise ValueError(name)

    return json.loads(line, parse_constant=bad)
