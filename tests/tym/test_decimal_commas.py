"""FTE and euros on a TYM agreement's pages as a Finnish (or Swedish) reader writes them: a decimal
comma. FTE are shown as typed, without trailing zeros (3,5); sums of euros to the cent with the
thousands grouped by a no-break space (8 750,00), which the forms read back as well."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from tym.models import TymAgreement

pytestmark = pytest.mark.postgres


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
        numbers = [row[2] for row in rows[1:] if len(row) >= 5]  # the staff rows, after the header
        assert numbers == ["3,5", "2,5", "1"]
        totals = [row[1].rsplit(" ", 1)[-1] for row in rows if len(row) == 2]  # "Total: 3,5" per party
        assert totals == ["3,5", "2,5", "1", "7"]  # and all parties'


def test_the_cost_split_shows_euros_and_percents_with_a_decimal_comma(client, who, agreement):
    html = page(client, who["drafter"], agreement, "7", "fi")
    assert [row[1:2] for row in cells(html, 'class="table"')[1:]] == [["12\xa0000,00"], ["3\xa0000,00"]]
    split = cells(html, "data-cost-split")
    assert [row[1:] for row in split[1:]] == [
        ["3,5", "58,33", "8\xa0750,00"],
        ["2,5", "41,67", "6\xa0250,00"],
        ["", "100,00", "15\xa0000,00"],
    ]
    assert not re.search(r"\d\.\d", html.split("data-cost-split", 1)[1].split("</table>", 1)[0])


def test_a_swedish_reader_sees_commas_too_and_an_english_one_points(client, who, agreement):
    split = cells(page(client, who["drafter"], agreement, "7", "sv"), "data-cost-split")
    assert split[1][1:] == ["3,5", "58,33", "8\xa0750,00"]
    split = cells(page(client, who["drafter"], agreement, "7", "en"), "data-cost-split")
    assert split[1][1:] == ["3.5", "58.33", "8,750.00"]


def test_kelas_contribution_in_euros_with_a_decimal_comma(client, who, agreement):
    TymAgreement.objects.filter(agreement=agreement).update(
        kela_participation=TymAgreement.KelaParticipation.CONTRIBUTION, kela_contribution=Decimal("1500.50")
    )
    assert "1\xa0500,50 €" in page(client, who["kela"], agreement, "8", "fi")
    # The split is of what is left: 13 499,50 €.
    split = cells(page(client, who["kela"], agreement, "7", "fi"), "data-cost-split")
    assert split[-1][-1] == "13\xa0499,50"
    assert sum(Decimal(row[3].replace("\xa0", "").replace(",", ".")) for row in split[1:-1]) == Decimal("13499.50")
