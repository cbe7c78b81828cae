"""Numbered items pasted into the 立项 form."""
from __future__ import annotations

import pytest

from duban.ingest.matters import split_items


@pytest.mark.parametrize(("text", "items"), [
    ("会议议定：\n1. 区住建局牵头做好防汛。\n2、区城管局负责清理\n积水点。\n3. 由区财政局保障资金",
     ["区住建局牵头做好防汛。", "区城管局负责清理积水点。", "由区财政局保障资金"]),
    ("（一）加快建设\n（二）完善机制", ["加快建设", "完善机制"]),
    ("①抓好防汛\n②抓好安全\n  \n③抓好稳定", ["抓好防汛", "抓好安全", "抓好稳定"]),
    # nested numbering stays inside its item
    ("一、防汛\n1. 排查\n2. 演练\n二、安全\n1. 检查", ["防汛\n1. 排查\n2. 演练", "安全\n1. 检查"]),
    ("请住建局抓紧落实。", ["请住建局抓紧落实。"]),
    ("1. 只有一项", ["1. 只有一项"]),
    ("  \n", []),
])
def test_numbered_items_split_at_the_first_rank(text: str, items: list[str]) -> None:
    assert split_items(text) == items
