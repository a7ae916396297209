"""Schemathesis against the OpenAPI spec, in-process: every operation, as a signed-in user.

Generated requests (valid and invalid) must never get a 5xx, and every documented
response must match its schema and media type. Few examples per operation keep it fast
enough for CI; the examples are derandomised, so a failure replays the same way.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis import Case
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from casework.api.app import OPENAPI_URL
from tests.api.conftest import Seed
from tests.api.test_route_table import ROUTES

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
MAX_EXAMPLES = 15


def _operations(app: FastAPI) -> list[schemathesis.APIOperation]:
    schema = schemathesis.openapi.from_asgi(OPENAPI_URL, app)
    return [result.ok() for result in schema.get_all_operations()]


def test_the_spec_lists_every_route(app: FastAPI) -> None:
    labels = {op.label for op in _operations(app)}
    assert labels == {f"{method} {path}" for method, path, _ in ROUTES}


@pytest.mark.slow
def test_no_operation_errors_or_breaks_its_schema(app: FastAPI, seed: Seed) -> None:
    headers = {"Authorization": f"Bearer {seed.tokens['supervisor']}"}
    failures: list[str] = []
    for operation in _operations(app):

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Case) -> None:
            reference = case.path_parameters.get("reference") if case.path_parameters else None
            if isinstance(reference, str) and reference[:1].isdigit():
                case.path_parameters["reference"] = seed.team_case  # a real case now and then
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # report every operation's failure
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
