"""The wording used until the office edits its own letter templates (admin → 函件模板)."""
from __future__ import annotations

DEFAULT_TEMPLATES: dict[str, tuple[str, str]] = {
    "reminder": (
        "关于{{ task.number }}号任务按时报送进展的提示函",
        "{{ unit }}:\n\n　　{{ reason }}。请按期报送《{{ task.text|truncatechars:60 }}》的进展情况。"
        "如已报送,请忽略本函。\n\n{{ office }}\n{{ issued_on }}",
    ),
    "urge": (
        "关于{{ task.number }}号任务的催办函",
        "{{ unit }}:\n\n　　{{ reason }}。请于收函后 2 个工作日内报送《{{ task.text|truncatechars:60 }}》"
        "的进展情况,说明未按期报送的原因。\n\n{{ office }}\n{{ issued_on }}",
    ),
    "blue": (
        "督办单(蓝色):{{ task.number }}号任务时限临近",
        "{{ unit }}:\n\n　　《{{ task.text|truncatechars:60 }}》{{ reason }}。请对照完成时限倒排工期,"
        "确保按期完成,并在办理后回复。\n\n{{ office }}\n{{ issued_on }}",
    ),
    "yellow": (
        "督办单(黄色):{{ task.number }}号任务进度滞后",
        "{{ unit }}负责同志:\n\n　　《{{ task.text|truncatechars:60 }}》{{ reason }}。请分析原因、"
        "制定赶进度措施,于 5 个工作日内书面回复。\n\n{{ office }}\n{{ issued_on }}",
    ),
    "red": (
        "督办单(红色):{{ task.number }}号任务已逾期",
        "{{ leader|default:unit }}:\n\n　　由{{ unit }}牵头的《{{ task.text|truncatechars:60 }}》{{ reason }}。"
        "请督促责任单位限期办结,并将办理结果书面报送。逾期仍未办结的,将予以通报。\n\n{{ office }}\n{{ issued_on }}",
    ),
}
