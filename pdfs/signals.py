"""The final PDF is queued when an agreement is signed; the database keeps stored PDFs immutable."""
