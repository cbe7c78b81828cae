from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.people.models import Role, User
from duban.tasks.models import Task


class TaskEditForm(forms.ModelForm):
    """Edits only the fields the user may change; ``version`` carries what the editor loaded."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Task
        fields = ("text", "owner", "deadline", "start_date", "cadence", "report_due_day", "priority", "area",
                  "leader", "ongoing")
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, allowed: tuple[str, ...], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name != "version" and name not in allowed:
                del self.fields[name]
        if "leader" in self.fields:
            self.fields["leader"].queryset = User.objects.filter(role=Role.LEADER)
        self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            if isinstance(field.widget, forms.Select):
                css = "form-select"
            field.widget.attrs.setdefault("class", css)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
