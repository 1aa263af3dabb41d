"""Load the starter catalogue (data/catalogue.json) into a new database; ``alongside applibrary load`` does it later."""

from django.db import migrations

from alongside.applibrary import catalogue
from alongside.applibrary.vocab import QUESTIONS


def load(apps, schema_editor):
    App = apps.get_model("applibrary", "App")
    Evaluation = apps.get_model("applibrary", "Evaluation")
    EvaluationAnswer = apps.get_model("applibrary", "EvaluationAnswer")
    data = catalogue.read()
    for entry in data.apps:
        if App.objects.filter(slug=entry.slug).exists():
            continue
        app = App.objects.create(
            slug=entry.slug, name=entry.name, developer=entry.developer, website=entry.website,
            summary=entry.summary, targets=entry.targets, platforms=entry.platforms, languages=entry.languages,
            export_kinds=entry.exports, cost=entry.cost, status=entry.status, withdrawn_on=entry.withdrawn_on,
            status_note=entry.status_note,
        )
        evaluation = Evaluation.objects.create(
            app=app, version=1, evaluated_on=data.evaluated_on, review_by=data.review_by,
            evaluated_by=data.evaluated_by, notes=data.about,
        )
        rows = [(q.code, entry.answer_row(q.code, data.evaluated_on, data.evaluated_by)) for q in QUESTIONS]
        EvaluationAnswer.objects.bulk_create(
            EvaluationAnswer(
                evaluation=evaluation, question=code, answer=row.answer, evidence_url=row.evidence_url,
                checked_on=row.checked_on, checked_by=row.checked_by,
            )
            for code, row in rows
        )


class Migration(migrations.Migration):
    dependencies = [("applibrary", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
