"""A new edition of a TYM agreement takes over its terms (``AgreementKind.copy_edition``).

The new edition belongs to the same steering group; its service locations, staff rows, joint costs
and the employment authorities' agreed shares are copied from the frozen edition, each row's party
mapped to that party's copy in the new edition and each staff row's location to the location's
copy, so the new edition's canonical text (and hash) is the old one's until someone changes it.
"""

from agreements.models import Agreement, Party
from tym.models import TERMS_FIELDS, AuthorityShare, CostItem, ServiceLocation, StaffRow, TymAgreement


def copy_edition(old: Agreement, new: Agreement, parties: dict[int, Party]) -> None:
    """Copies ``old``'s terms to its new edition ``new``; ``parties`` maps old party id -> new Party."""
    terms = TymAgreement.objects.get(agreement=old)
    TymAgreement.objects.create(
        agreement=new, group_id=terms.group_id, **{name: getattr(terms, name) for name in TERMS_FIELDS}
    )
    locations: dict[int, ServiceLocation] = {}
    for loc in ServiceLocation.objects.filter(agreement=old).order_by("position", "pk"):
        locations[loc.pk] = ServiceLocation.objects.create(
            agreement=new,
            position=loc.position,
            name=loc.name,
            address=loc.address,
            municipality_id=loc.municipality_id,
            channels=list(loc.channels),
        )
    StaffRow.objects.bulk_create(
        StaffRow(
            agreement=new,
            party=parties[row.party_id],
            position=row.position,
            title=row.title,
            amount=row.amount,
            location=locations.get(row.location_id),
            tasks=row.tasks,
        )
        for row in StaffRow.objects.filter(agreement=old).order_by("party__position", "position", "pk")
    )
    CostItem.objects.bulk_create(
        CostItem(agreement=new, position=item.position, name=item.name, annual_amount=item.annual_amount)
        for item in CostItem.objects.filter(agreement=old).order_by("position", "pk")
    )
    AuthorityShare.objects.bulk_create(
        AuthorityShare(agreement=new, party=parties[share.party_id], percent=share.percent)
        for share in AuthorityShare.objects.filter(agreement=old).order_by("party__position", "pk")
    )
