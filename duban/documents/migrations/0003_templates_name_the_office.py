"""The built-in document wording names the office from its record ({{ office.name }}, {{ office.authority }} …)
instead of a generic 区人民政府督查室. Rows the office has not edited move to the new wording; edited ones stay.

Self-contained: CHANGES is a frozen copy of (old, new) for each changed field.
"""
from __future__ import annotations

from django.db import migrations

CHANGES: dict[str, dict[str, tuple[str, str]]] = {'briefing': {'copy_to': ('报：区委、区政府领导。送：区直各单位，各街道办事处',
                          '报：{{ office.place }}委、{{ office.place }}政府领导。送：{{ office.place }}直各单位，{{ '
                          'office.subordinates }}'),
              'printed_by': ('区人民政府办公室督查室', '{{ office.name }}'),
              'signature': ('区人民政府办公室督查室编', '{{ office.name }}编')},
 'bulletin': {'addressee': ('各街道办事处，区政府各部门', '{{ office.addressees }}'),
              'closing': ('各责任单位要对照滞后、逾期事项逐项分析原因，明确整改措施和完成时限，确保按期完成。区政府督查室将持续跟踪督办，并将落实情况纳入年度考核。',
                          '各责任单位要对照滞后、逾期事项逐项分析原因，明确整改措施和完成时限，确保按期完成。{{ office.name }}将持续跟踪督办，并将落实情况纳入年度考核。'),
              'copy_to': ('区委办，区人大办，区政协办',
                          '{{ office.place }}委办，{{ office.place }}人大办，{{ office.place }}政协办'),
              'intro': ('为推动重点任务落地见效，区政府督查室对截至{{ as_of }}的推进情况进行了梳理。现将有关情况通报如下：',
                        '为推动重点任务落地见效，{{ office.name }}对截至{{ as_of }}的推进情况进行了梳理。现将有关情况通报如下：'),
              'printed_by': ('区人民政府办公室', '{{ office.authority }}'),
              'signature': ('区人民政府办公室', '{{ office.authority }}'),
              'title': ('关于重点任务推进情况的通报',
                        '关于{% if source_title %}{{ source_title }}{% else %}重点任务推进情况{% endif %}的通报')},
 'letter': {'header': ('区人民政府督查室', '{{ office.name }}'),
            'signature': ('{{ office }}', '{{ signed_by|default:office }}')},
 'report': {'intro': ('为及时、准确掌握重点任务完成情况，推动各项任务扎实推进，区政府办对重点任务落实情况进行了督查。截至{{ as_of }}，{{ task_count '
                      '}}项任务中已完成{{ done }}项、推进中{{ open }}项，相关情况如下：',
                      '为及时、准确掌握重点任务完成情况，推动各项任务扎实推进，{{ office.authority }}对重点任务落实情况进行了督查。截至{{ as_of }}，{{ '
                      'task_count }}项任务中已完成{{ done }}项、推进中{{ open }}项，相关情况如下：'),
            'signature': ('区人民政府办公室', '{{ office.authority }}')}}


def name_the_office(apps, schema_editor) -> None:  # noqa: ANN001
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for row in DocumentTemplate.objects.filter(kind__in=CHANGES):
        fields = [f for f, (old, _new) in CHANGES[row.kind].items() if getattr(row, f) == old]
        for f in fields:
            setattr(row, f, CHANGES[row.kind][f][1])
        if fields:
            row.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_default_templates")]
    operations = [migrations.RunPython(name_the_office, migrations.RunPython.noop)]
