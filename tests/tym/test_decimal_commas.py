"""FTE and euros on a TYM agreement's pages as a Finnish (or Swedish) reader writes them: a decimal
comma. The portal does not group thousands (USE_THOUSAND_SEPARATOR is off), so 8 750 € reads
"8750,00" – as the figures are typed back into its forms."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from tests.tym.builders import complete, group_with_members, people, tym_agreement
from tym.models import TymAgreement

pytestmark = pytest.mark.postgres


@pytest.fixture
def who(areas):
    return people()


@pytest.fixture
def agreement(who):
    # Tampereen seutu 3,5 FTE, the county 2,5 FTE, Kela 1 FTE; joint costs 12 000 + 3 000 €.
    return complete(tym_agreement(group_with_members(who["coordinator"]), who["drafter"]))


def page(client, user, agreement, key, language):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("agreements:section", args=[agreement.pk, key]))
    assert response.status_code == 200
    return response.content.decode()


def cells(html, marker):
    """The rows of the table marked ``marker``: each a list of its header and data cells' text."""
    table = re.search(rf"<table[^>]*{marker}[^>]*>(.*?)</table>", html, re.S)
    assert table, marker
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def test_the_staff_table_shows_fte_with_a_decimal_comma(client, who, agreement):
    for user in (who["drafter"], who["coordinator"], who["kela"]):
        rows = cells(page(client, user, agreement, "5", "fi"), "data-staff-table")
        numbers = [row[2] for row in rows[1:] if len(row) == 5]  # the staff rows, after the header
        assert numbers == ["3,50", "2,50", "1,00"]
        totals = [row[1].rsplit(" ", 1)[-1] for row in rows if len(row) == 2]  # "Total: 3,50" per party
        assert totals == ["3,50", "2,50", "1,00", "7,00"]  # and all parties'


def test_the_cost_split_shows_euros_and_percents_with_a_decimal_comma(client, who, agreement):
    html = page(client, who["drafter"], agreement, "7", "fi")
    assert [row[1:] for row in cells(html, 'class="table"')[1:]] == [["12000,00"], ["3000,00"]]
    split = cells(html, "data-cost-split")
    assert [row[1:] for row in split[1:]] == [
        ["3,50", "58,33", "8750,00"],
        ["2,50", "41,67", "6250,00"],
        ["", "100,00", "15000,00"],
    ]
    assert not re.search(r"\d\.\d", html.split("data-cost-split", 1)[1].split("</table>", 1)[0])


def test_a_swedish_reader_sees_commas_too_and_an_english_one_points(client, who, agreement):
    split = cells(page(client, who["drafter"], agreement, "7", "sv"), "data-cost-split")
    assert split[1][1:] == ["3,50", "58,33", "8750,00"]
    split = cells(page(client, who["drafter"], agreement, "7", "en"), "data-cost-split")
    assert split[1][1:] == ["3.50", "58.33", "8750.00"]


def test_kelas_contribution_in_euros_with_a_decimal_comma(client, who, agreement):
    TymAgreement.objects.filter(agreement=agreement).update(
        kela_participation=TymAgreement.KelaParticipation.CONTRIBUTION, kela_contribution=Decimal("1500.50")
    )
    assert "1500,50 €" in page(client, who["kela"], agreement, "8", "fi")
    # The split is of what is left: 13 499,50 €.
    split = cells(page(client, who["kela"], agreement, "7", "fi"), "data-cost-split")
    assert split[-1][-1] == "13499,50"
    assert sum(Decimal(row[3].replace(",", ".")) for row in split[1:-1]) == Decimal("13499.50")
