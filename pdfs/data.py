"""The agreement's structured data attached to its PDF: the ``export_agreement`` JSON of that state."""

import json

from agreements.models import Agreement
from agreements.services.bundle import agreement_export

FILENAME = "agreement.json"


def attached_json(agreement: Agreement, *, public: bool = False) -> bytes:
    """What ``manage.py export_agreement ID`` prints for ``agreement`` now, as UTF-8 (``public``: as
    ``--public`` prints it, for the sealed PDF that the register offers to anyone)."""
    return (json.dumps(agreement_export(agreement, public=public), ensure_ascii=False, indent=2) + "\n").encode()
