from __future__ import annotations

from duban.tasks import services
from duban.tasks.models import Task


def test_paths_are_positional_and_sorted_in_tree_order(db) -> None:  # noqa: ANN001
    root = services.create_task(None, kind=Task.Kind.SECTION, number="一", heading="甲")
    a = services.create_task(None, parent=root, number="1", text="a")
    b = services.create_task(None, parent=root, number="2", text="b")
    a1 = services.create_task(None, parent=a, kind=Task.Kind.SUBTASK, number="1", text="a1")
    assert a.path == f"{root.path}.0001" and b.path == f"{root.path}.0002" and a1.path == f"{a.path}.0001"
    assert (root.depth, a.depth, a1.depth) == (0, 1, 2)
    assert list(root.descendants()) == [a, a1, b]


def test_subtree_and_ancestors_are_one_query_each(db, django_assert_num_queries) -> None:  # noqa: ANN001
    task = Task.objects.actionable().get(number="39")
    with django_assert_num_queries(1):
        assert [t.number for t in task.ancestors()] == ["四", "二"]
    section = task.ancestors().first()
    expected = Task.objects.filter(parent__parent=section).count() + Task.objects.filter(parent=section).count()
    with django_assert_num_queries(1):
        assert len(list(section.descendants())) == expected
