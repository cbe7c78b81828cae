"""Pure helpers for unit names (no Django): the normal form used to match a name as written to a unit."""
from __future__ import annotations

import unicodedata

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "〔": "[", "〕": "]"})


def normalise_name(name: str) -> str:
    """Width-fold, unify brackets and drop white space, so 区政府办（区外办） and 区政府办(区外办) match."""
    text = unicodedata.normalize("NFKC", name).translate(_BRACKETS)
    return "".join(text.split())
