"""Forms of the notes and plan pages; the plan form turns into :class:`PlanContent`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.records.models import NoteTemplate, Suitability
from alongside.records.note_templates import MAX_SECTION, SECTIONS
from alongside.records.plans import STATUS_LABELS, TEXT, Goal, Objective, PlanContent, instrument_names
from alongside.records.services import MAX_TEXT

DATE = forms.DateInput(attrs={"type": "date"})
STATUS_CHOICES = list(STATUS_LABELS.items())


class NoteStartForm(forms.Form):
    template = forms.ChoiceField(label=_("Template"), choices=NoteTemplate.choices, widget=forms.RadioSelect)


class NoteForm(forms.Form):
    """One text box per section of the note's template."""

    def __init__(self, *args: Any, template: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in SECTIONS[template]:
            self.fields[section.code] = forms.CharField(
                label=section.label,
                help_text=section.prompt,
                required=False,
                max_length=MAX_SECTION,
                widget=forms.Textarea(attrs={"rows": 5}),
            )


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6}))


GOAL_ROWS = 3
OBJECTIVE_ROWS = 4


class PlanForm(forms.Form):
    """Problems and interventions one per line; goals and objectives as rows (an empty row is left out)."""

    problems = forms.CharField(
        label=_("Problems"), required=False, help_text=_("One per line."), widget=forms.Textarea(attrs={"rows": 3})
    )
    interventions = forms.CharField(
        label=_("Interventions"), required=False, help_text=_("One per line."), widget=forms.Textarea(attrs={"rows": 3})
    )
    review_on = forms.DateField(label=_("Review the plan on"), widget=DATE)

    def __init__(self, *args: Any, goal_rows: int = GOAL_ROWS, objective_rows: int = OBJECTIVE_ROWS, **kw: Any) -> None:
        super().__init__(*args, **kw)
        measures = [("", _("No measure")), *instrument_names().items()]
        self.goal_rows, self.objective_rows = range(goal_rows), range(objective_rows)
        for i in self.goal_rows:
            self._row("goal", i, {})
        for i in self.objective_rows:
            self._row(
                "objective",
                i,
                {
                    "instrument": forms.ChoiceField(label=_("Measure"), required=False, choices=measures),
                    "target": forms.IntegerField(
                        label=_("Target: total under"), required=False, min_value=1, max_value=1000
                    ),
                },
            )

    def _row(self, kind: str, i: int, extra: dict[str, forms.Field]) -> None:
        self.fields[f"{kind}_{i}_text"] = forms.CharField(label=_("Text"), required=False, max_length=TEXT)
        for name, field in extra.items():
            self.fields[f"{kind}_{i}_{name}"] = field
        self.fields[f"{kind}_{i}_date"] = forms.DateField(label=_("Target date"), required=False, widget=DATE)
        self.fields[f"{kind}_{i}_status"] = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def rows(self, kind: str) -> list[list[Any]]:
        """The bound fields of each row, for the template."""
        count = self.goal_rows if kind == "goal" else self.objective_rows
        return [[f for f in self if f.name.startswith(f"{kind}_{i}_")] for i in count]

    def to_content(self) -> PlanContent:
        data = self.cleaned_data
        goals, objectives = [], []
        for i in self.goal_rows:
            if data.get(f"goal_{i}_text"):
                goals.append(Goal(text=data[f"goal_{i}_text"], target_date=data.get(f"goal_{i}_date"),
                                  status=data.get(f"goal_{i}_status") or "open"))  # fmt: skip
        for i in self.objective_rows:
            if data.get(f"objective_{i}_text"):
                objectives.append(
                    Objective(
                        text=data[f"objective_{i}_text"],
                        target_date=data.get(f"objective_{i}_date"),
                        status=data.get(f"objective_{i}_status") or "open",
                        instrument=data.get(f"objective_{i}_instrument") or "",
                        target_below=data.get(f"objective_{i}_target"),
                    )
                )
        return PlanContent(
            problems=data["problems"].splitlines(),
            goals=goals,
            objectives=objectives,
            interventions=data["interventions"].splitlines(),
        )

    @staticmethod
    def initial_from(content: dict[str, Any], review_on: Any) -> dict[str, Any]:
        """Form values from a saved plan's content (to start the next version from it)."""
        initial: dict[str, Any] = {
            "problems": "\n".join(content.get("problems", [])),
            "interventions": "\n".join(content.get("interventions", [])),
            "review_on": review_on,
        }
        for kind in ("goal", "objective"):
            for i, row in enumerate(content.get(f"{kind}s", [])):
                initial[f"{kind}_{i}_text"] = row.get("text", "")
                initial[f"{kind}_{i}_date"] = row.get("target_date")
                initial[f"{kind}_{i}_status"] = row.get("status", "open")
                if kind == "objective":
                    initial[f"objective_{i}_instrument"] = row.get("instrument", "")
                    initial[f"objective_{i}_target"] = row.get("target_below")
        return initial


class ReviewForm(forms.Form):
    suitability = forms.ChoiceField(
        label=_("Digital readiness and suitability, revisited with the client"),
        choices=Suitability.choices,
        widget=forms.RadioSelect,
    )
    next_review_on = forms.DateField(label=_("Next review on"), widget=DATE)
    note = forms.CharField(
        label=_("Review note"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
