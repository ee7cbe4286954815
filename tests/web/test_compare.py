"""The comparison page over the bundled data: names or IRIs in, side-by-side cards out,
what the organisations share marked, bad input refused with the reason."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.web.bundled_app import bundled_app_closed_after

BRANCH = "id:org/jinan-thermal-western-heat-source"
DONGXIN = "https://w3id.org/casegraph/id/org/jinan-thermal-power-dongxin-hexin-party-branch"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    yield from bundled_app_closed_after(tmp_path_factory.mktemp("compare"))


def compare(client, *orgs: str):
    answer = client.get("/compare", query_string=[("org", o) for o in orgs] + [("lang", "en")])
    return answer.status_code, answer.get_data(as_text=True)


def columns(page: str) -> list[str]:
    return [html_lib.unescape(re.sub(r"<[^>]+>", " ", c))
            for c in re.split(r"<section class=\"card compare-column", page)[1:]]


def marked(page: str) -> set[str]:
    """The visible texts of the items marked as shared."""
    return {html_lib.unescape(re.sub(r"<[^>]+>", "", m)).split("(")[0].strip()
            for m in re.findall(r'class="shared"[^>]*>(.*?)</(?:li|span)>', page, re.S)}


def test_two_organisations_side_by_side_with_what_they_share_marked(client):
    status, page = compare(client, BRANCH, DONGXIN)
    assert status == 200
    left, right = columns(page)
    # The branch's awards are rolled up from its party branch, workshop and innovations.
    assert "Five Smalls" in left and "Jinan Federation of Trade Unions" in left
    assert "Huaxianchang" in right  # the community that honoured the Dongxin Hexin branch
    # Both texts tell of recognising model workers: the kind is marked as shared.
    assert "Recognising model workers" in marked(page)
    # The boxes show names, and carry the IRIs they stand for.
    assert 'value="Western Heat Source Branch of Jinan Thermal Power Group"' in page
    assert f'data-chosen-iri="{DONGXIN}"' in page


def test_a_name_is_accepted_in_any_script(client):
    status, page = compare(client, "西部熱源分公司", DONGXIN)
    assert status == 200 and len(columns(page)) == 2


def test_a_name_that_is_only_part_of_a_name_is_offered_not_guessed(client):
    status, page = compare(client, BRANCH, "東新和信黨支部")
    assert status == 200 and columns(page) == []
    assert "did you mean" in page and "Dongxin Hexin Party Branch" in page
    assert "fits several" not in page  # one candidate is not "several"


def test_bad_input_is_refused_with_the_reason(client):
    status, page = compare(client, *[BRANCH] * 5)
    assert status == 400 and "at most 4" in page
    status, page = compare(client, "id:place/jinan", BRANCH)
    assert status == 400 and "is not an organisation" in html_lib.unescape(page)
    status, page = compare(client, BRANCH, "无此单位名称")
    assert status == 400 and "nothing is named" in html_lib.unescape(page)
