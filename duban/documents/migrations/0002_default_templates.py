"""One template row per kind of document, with the built-in wording, for the office to edit in the admin.

Self-contained on purpose: ``DEFAULT_TEMPLATES`` below is a frozen copy of ``duban.documents.defaults`` as it
was when this migration was written. Later changes to the built-in wording reach only rows made afterwards
(documents.services recreates a deleted row from the live defaults), never what this migration creates.
"""
from __future__ import annotations

from django.db import migrations

DEFAULT_TEMPLATES: dict[str, dict[str, str]] = {
    "report": {
        "header": "",
        "number": "",
        "title": "{% if source_title %}{{ source_title }}{% else %}重点任务落实情况{% endif %}",
        "addressee": "",
        "intro": "为及时、准确掌握重点任务完成情况，推动各项任务扎实推进，区政府办对重点任务落实情况进行了督查。"
                 "截至{{ as_of }}，{{ task_count }}项任务中已完成{{ done }}项、推进中{{ open }}项，"
                 "相关情况如下：",
        "closing": "",
        "signature": "区人民政府办公室",
        "copy_to": "",
        "printed_by": "",
    },
    "bulletin": {
        "header": "督查通报",
        "number": "",
        "title": "关于重点任务推进情况的通报",
        "addressee": "各街道办事处，区政府各部门",
        "intro": "为推动重点任务落地见效，区政府督查室对截至{{ as_of }}的推进情况进行了梳理。现将有关情况通报如下：",
        "closing": "各责任单位要对照滞后、逾期事项逐项分析原因，明确整改措施和完成时限，确保按期完成。"
                   "区政府督查室将持续跟踪督办，并将落实情况纳入年度考核。",
        "signature": "区人民政府办公室",
        "copy_to": "区委办，区人大办，区政协办",
        "printed_by": "区人民政府办公室",
    },
    "briefing": {
        "header": "督查工作简报",
        "number": "第{{ issue.seq }}期",
        "title": "{{ issue.title }}",
        "addressee": "",
        "intro": "",
        "closing": "",
        "signature": "区人民政府办公室督查室编",
        "copy_to": "报：区委、区政府领导。送：区直各单位，各街道办事处",
        "printed_by": "区人民政府办公室督查室",
    },
    "letter": {
        "header": "区人民政府督查室",
        "number": "{{ letter.number }}",
        "title": "{{ letter.title }}",
        "addressee": "{{ addressee }}",
        "intro": "",
        "closing": "",
        "signature": "{{ office }}",
        "copy_to": "",
        "printed_by": "",
    },
}


def create_defaults(apps, schema_editor) -> None:  # noqa: ANN001
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for kind, fields in DEFAULT_TEMPLATES.items():
        DocumentTemplate.objects.get_or_create(kind=kind, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
