"""Forms of the notes and plan pages; the plan form turns into :class:`PlanContent`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.records.models import NoteTemplate, PracticeNoteTemplate, Suitability
from alongside.records.note_templates import MAX_HEADING, MAX_NAME, MAX_PROMPT, MAX_SECTION, MAX_SECTIONS, Section
from alongside.records.plans import STATUS_LABELS, TEXT, Goal, Objective, PlanContent, instrument_names
from alongside.records.services import MAX_TEXT

DATE = forms.DateInput(attrs={"type": "date"})
STATUS_CHOICES = list(STATUS_LABELS.items())


class NoteStartForm(forms.Form):
    """SOAP, DAP, BIRP and the practice's own live templates (by id)."""

    template = forms.ChoiceField(label=_("Template"), choices=[], widget=forms.RadioSelect)

    def __init__(self, *args: Any, practice_templates: Iterable[PracticeNoteTemplate] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        builtin = [(value, label) for value, label in NoteTemplate.choices if value != NoteTemplate.PRACTICE]
        own = [(str(t.pk), t.name) for t in practice_templates]
        self.fields["template"].choices = [*builtin, *own]  # type: ignore[attr-defined]


class NoteTemplateForm(forms.Form):
    """A practice template: a name and up to 12 rows of heading and prompt (empty rows are left out)."""

    name = forms.CharField(label=_("Name"), max_length=MAX_NAME)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = range(1, MAX_SECTIONS + 1)
        for i in self.rows:
            self.fields[f"heading_{i}"] = forms.CharField(
                label=_("Heading %(n)s") % {"n": i}, required=False, max_length=MAX_HEADING
            )
            self.fields[f"prompt_{i}"] = forms.CharField(
                label=_("Prompt %(n)s") % {"n": i}, required=False, max_length=MAX_PROMPT
            )

    def row_fields(self) -> list[tuple[Any, Any]]:
        """The bound heading and prompt of each row."""
        return [(self[f"heading_{i}"], self[f"prompt_{i}"]) for i in self.rows]

    def sections(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [{"heading": data[f"heading_{i}"], "prompt": data[f"prompt_{i}"]} for i in self.rows]

    @staticmethod
    def initial_for(template: PracticeNoteTemplate) -> dict[str, str]:
        initial = {"name": template.name}
        for i, row in enumerate(template.sections, start=1):
            initial[f"heading_{i}"], initial[f"prompt_{i}"] = row["heading"], row.get("prompt", "")
        return initial


class NoteForm(forms.Form):
    """One text box per section of the note's template."""

    def __init__(self, *args: Any, sections: tuple[Section, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in sections:
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
