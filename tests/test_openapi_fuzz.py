"""Schemathesis over the app's own OpenAPI document: every operation, generated inputs valid and
invalid, and never a 5xx."""

from __future__ import annotations

import schemathesis
from conftest import built_search_settings
from hypothesis import HealthCheck, settings

from api.app import create_app

# The schema is read from the app when this module loads (schemathesis 4.32's fixture-based
# loader does not run under pytest 9), so the test corpus's index is built then: once a run,
# shared with the `search_settings` fixture.
APP = create_app(built_search_settings())
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_operation_answers_5xx(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
