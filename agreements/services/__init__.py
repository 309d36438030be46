"""Every write to agreements goes through these services."""

from agreements.services.core import (
    SectionConflict,
    agreement_start,
    agreement_terms_update,
    comment_add,
    comment_resolve,
    party_add,
    party_remove,
    party_update,
    section_restore,
    section_save,
)
from agreements.services.structured import (
    annex_add,
    annex_remove,
    forum_save,
    goal_save,
    indicator_save,
    measure_save,
    structured_delete,
    validate_pdf,
)

__all__ = [
    "SectionConflict",
    "agreement_start",
    "agreement_terms_update",
    "annex_add",
    "annex_remove",
    "comment_add",
    "comment_resolve",
    "forum_save",
    "goal_save",
    "indicator_save",
    "measure_save",
    "party_add",
    "party_remove",
    "party_update",
    "section_restore",
    "section_save",
    "structured_delete",
    "validate_pdf",
]
