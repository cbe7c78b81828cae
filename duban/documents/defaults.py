"""The wording of each kind of document until the office edits it (设置 → 公文模板). Plain data: the data
migration creates one row per kind from it, and a kind without a row falls back to it."""
from __future__ import annotations

DEFAULT_TEMPLATES: dict[str, dict[str, str]] = {
    "report": {
        "header": "",
        "number": "",
        "title": "{% if source_title %}{{ source_title }}{% else %}重点任务落实情况{% endif %}",
        "addressee": "",
        "intro": "为及时、准确掌握重点任务完成情况，推动各项任务扎实推进，{{ office.authority }}对重点任务落实情况进行了督查。"
                 "截至{{ as_of }}，{{ task_count }}项任务中已完成{{ done }}项、推进中{{ open }}项，"
                 "相关情况如下：",
        "closing": "",
        "signature": "{{ office.authority }}",
        "copy_to": "",
        "printed_by": "",
    },
    "bulletin": {
        "header": "督查通报",
        "number": "",
        "title": "关于{% if source_title %}{{ source_title }}{% else %}重点任务推进情况{% endif %}的通报",
        "addressee": "{{ office.addressees }}",
        "intro": "为推动重点任务落地见效，{{ office.name }}对截至{{ as_of }}的推进情况进行了梳理。现将有关情况通报如下：",
        "closing": "各责任单位要对照滞后、逾期事项逐项分析原因，明确整改措施和完成时限，确保按期完成。"
                   "{{ office.name }}将持续跟踪督办，并将落实情况纳入年度考核。",
        "signature": "{{ office.authority }}",
        "copy_to": "{{ office.place }}委办，{{ office.place }}人大办，{{ office.place }}政协办",
        "printed_by": "{{ office.authority }}",
    },
    "briefing": {
        "header": "督查工作简报",
        "number": "第{{ issue.seq }}期",
        "title": "{{ issue.title }}",
        "addressee": "",
        "intro": "",
        "closing": "",
        "signature": "{{ office.name }}编",
        "copy_to": "报：{{ office.place }}委、{{ office.place }}政府领导。送：{{ office.place }}直各单位，{{ office.subordinates }}",
        "printed_by": "{{ office.name }}",
    },
    "letter": {
        "header": "{{ office.name }}",
        "number": "{{ letter.number }}",
        "title": "{{ letter.title }}",
        "addressee": "{{ addressee }}",
        "intro": "",
        "closing": "",
        "signature": "{{ signed_by|default:office }}",
        "copy_to": "",
        "printed_by": "",
    },
}
