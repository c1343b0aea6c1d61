"""Free-text business values from the achievement-collector (the contract's fake over real HTTP),
read as a careful person reads them: the Overview total, the grid, its Details and its CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from bench.dash_payloads import find_callback, request_for
from dashboard import create_app
from tests.components import walk
from tests.fakes import FakeBackends

# What a careful person reads in each text: (amount, currency, upper bound) or None.
TEXTS = {
    1: ("Cut latency 35%, about $102,500/yr in compute", (102_500, "USD", None)),
    2: ("Unblocked the Q3 roadmap", None),
    3: ("saves 3 engineers 2h/week (~$12,000/yr)", (12_000, "USD", None)),
    4: ("$10-15K", (10_000, "USD", 15_000)),
    5: ("1.5 million USD", (1_500_000, "USD", None)),
    6: ("Saved 120 hours", None),
    7: ("2x faster", None),
    8: ("45.000 EUR", (45_000, "EUR", None)),
    9: ("$ 45 000", (45_000, "USD", None)),
    10: (json.dumps({"total_value": 162500, "currency": "USD", "period": "yearly"}), (162_500, "USD", None)),
    11: ("$1.2M per year from v2.3 (PR #1234)", (1_200_000, "USD", None)),
    12: (None, None),
}
USD_TOTAL = 102_500 + 12_000 + 10_000 + 1_500_000 + 45_000 + 162_500 + 1_200_000


@pytest.fixture
def backends():
    with FakeBackends() as fake:
        with fake.lock:
            assert sorted(a["id"] for a in fake.achievements) == sorted(TEXTS)
            for item in fake.achievements:
                item["business_value"] = TEXTS[item["id"]][0]
        yield fake


@pytest.fixture
def app(backends, make_settings):
    return create_app(
        settings=make_settings(achievement_api_url=backends.achievement_url, orchestrator_url=backends.orchestrator_url)
    )


def callback(client, output: str, values: dict, trigger: str) -> dict:
    dep = find_callback(client.get("/_dash-dependencies").get_json(), output)
    response = client.post("/_dash-update-component", json=request_for(dep, values, triggered=trigger))
    assert response.status_code == 200, response.data[:300]
    return response.get_json()["response"]


def strings(tree) -> str:
    if isinstance(tree, str):
        return tree
    if isinstance(tree, dict):
        return strings(tree.get("props", {}).get("children"))
    if isinstance(tree, list):
        return " ".join(strings(item) for item in tree)
    return ""


def test_the_overview_total_is_the_amounts_a_person_reads(app):
    answer = callback(
        app.server.test_client(),
        "overview-value-value.children",
        {"overview-range.data": "all", "refresh-interval.n_intervals": 1},
        "refresh-interval.n_intervals",
    )
    assert answer["overview-value-value"]["children"] == "$3M"  # 3,032,000 read, not 35 + 3 + …
    note = strings(answer["overview-value-note"]["children"])
    assert "+ €45,000 not converted" in note
    assert "4 achievements have no readable amount" in note
    assert "1 range counted at the lower bound" in note
    assert answer["overview-completed-value"]["children"] == "12"
    # The count of unreadable ones is a link to the grid showing exactly them.
    (href,) = links(answer["overview-value-note"]["children"], "kpi-note-unreadable")
    assert href == "/achievements?value=unreadable"


def links(tree, class_name: str) -> list[str]:
    """The hrefs of the links with this class in a component tree."""
    if isinstance(tree, list):
        return [href for item in tree for href in links(item, class_name)]
    if not isinstance(tree, dict):
        return []
    props = tree.get("props", {})
    own = [props["href"]] if class_name in str(props.get("className", "")).split() and "href" in props else []
    return own + links(props.get("children"), class_name)


def test_the_grid_and_its_csv_say_what_was_read_and_from_where(app):
    client = app.server.test_client()
    answer = callback(
        client,
        "achievements-grid.getRowsResponse",
        {"achievements-grid.getRowsRequest": {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}},
        "achievements-grid.getRowsRequest",
    )
    rows = {row["id"]: row for row in answer["achievements-grid"]["getRowsResponse"]["rowData"]}
    for ident, (text, expected) in TEXTS.items():
        row = rows[ident]
        if expected is None:
            assert row["business_value"] is None, (text, row["business_value"])
            assert row["business_value_read_as"], text  # the reason it has no amount
        else:
            amount, currency, upper = expected
            assert (row["business_value"], row["business_value_currency"], row["business_value_upper"]) == (
                amount,
                currency,
                upper,
            ), text
    assert rows[1]["business_value_read_as"] == "read as $102,500 from “Cut latency 35%, about $102,500/yr in compute”"
    assert "lower bound of $10,000–$15,000" in rows[4]["business_value_read_as"]
    assert rows[2]["business_value_read_as"].startswith("no amount marked as money")
    assert answer["achievements-kpi-value"]["children"] == "$3M"
    note = strings(answer["achievements-kpi-value-note"]["children"])
    assert "+ €45,000 not converted" in note and "4 achievements have no readable amount" in note

    services = app.server.extensions["threads_dashboard"].services
    exported = list(csv.DictReader(io.StringIO(services.export_achievements_csv({}).text)))
    by_id = {int(r["id"]): r for r in exported}
    assert by_id[8]["business_value"] == "45000" and by_id[8]["business_value_currency"] == "EUR"
    assert by_id[4]["business_value_upper"] == "15000"
    assert by_id[1]["business_value_read_as"].startswith("read as $102,500 from")
    assert by_id[6]["business_value"] == "" and by_id[6]["business_value_raw"] == "Saved 120 hours"


def test_the_overviews_link_opens_the_grid_with_only_the_unreadable_ones_ticked(app):
    from dashboard.ui.pages.achievements import page

    with app.server.test_request_context("/achievements?value=unreadable"):
        layout = page.layout(value="unreadable")
        plain = page.layout()
    (switch,) = [c for c in walk(layout) if getattr(c, "id", None) == "achievements-unreadable-only"]
    assert switch.value == ["yes"]
    (plain_switch,) = [c for c in walk(plain) if getattr(c, "id", None) == "achievements-unreadable-only"]
    assert not plain_switch.value  # without the link's parameter, every row


def test_the_grid_opens_on_the_unreadable_ones(app):
    answer = callback(
        app.server.test_client(),
        "achievements-grid.getRowsResponse",
        {
            "achievements-grid.getRowsRequest": {"startRow": 0, "endRow": 100},
            "achievements-unreadable-only.value": ["yes"],
        },
        "achievements-grid.getRowsRequest",
    )
    ids = sorted(row["id"] for row in answer["achievements-grid"]["getRowsResponse"]["rowData"])
    assert ids == sorted(i for i, (_, expected) in TEXTS.items() if expected is None)
    # None of them has an amount: their total is unknown, not $0.
    assert answer["achievements-kpi-value"]["children"] == "—"
    assert strings(answer["achievements-kpi-value-note"]["children"]) == "4 achievements have no readable amount"
