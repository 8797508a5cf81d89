"""Tests of the plans app."""

import re


def upload_token(page: str) -> str:
    """The token of an uploaded file in the import preview's form (it names the upload to confirm)."""
    found = re.search(r'name="token" value="(\w+)"', page)
    assert found, "the preview has no upload token"
    return found[1]
