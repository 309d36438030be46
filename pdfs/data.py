"""The agreement's structured data attached to its PDF: the ``export_agreement`` JSON of that state."""

import json

from agreements.models import Agreement
from agreements.services.bundle import agreement_export

FILENAME = "agreement.json"


def attached_json(agreement: Agreement) -> bytes:
    """What ``manage.py export_agreement ID --public`` prints for ``agreement`` now, as UTF-8: the
    data of its own document (a PDF may go to a council's public agenda, the sealed one to anyone)."""
    return (json.dumps(agreement_export(agreement, public=True), ensure_ascii=False, indent=2) + "\n").encode()
