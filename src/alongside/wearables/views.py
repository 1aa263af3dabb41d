"""The client's "My body data" page: their own daily figures and changes, before anything is shared."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.access import Action, client_and_grant_or_404, client_or_404, owned_or_404
from alongside.care.views import client_required, staff_required
from alongside.consent.models import WEARABLE_SCOPES, Scope, ScopeGrant
from alongside.core.actor import signed_in
from alongside.wearables import charts, csv_import, insights, mapping, uploads
from alongside.wearables.metrics import Metric
from alongside.wearables.models import DailyFeature, ImportJob, SourceName, Upload, UploadStatus
from alongside.wearables.page_parts import describe
from alongside.wearables.selectors import client_features, deviations
from alongside.wearables.services import wearables_delete_all, wearables_import_delete
from alongside.wearables.streams import metrics_of

SHOWN_DAYS = 14


@client_required
@require_GET
def my_body_data(request: HttpRequest) -> HttpResponse:
    """Show the last two weeks of the client's daily figures with their usual range, and sustained changes."""
    client = client_or_404(request.user, str(request.user.pk), Action.OWN)
    features = client_features(client=client)
    last = max((f.day for f in features), default=None)
    recent = [f for f in features if last is not None and f.day > last - dt.timedelta(days=SHOWN_DAYS)]
    metrics = [m for m in Metric if any(f.metric == m for f in recent)]
    by_day: dict[dt.date, dict[str, object]] = {}
    for feature in recent:
        by_day.setdefault(feature.day, {})[feature.metric] = feature
    rows = [(day, [by_day[day].get(m) for m in metrics]) for day in sorted(by_day, reverse=True)]
    granted = ScopeGrant.objects.filter(client=client, scope__in=WEARABLE_SCOPES, granted=True)
    shared = [Scope(scope).label for scope in WEARABLE_SCOPES if scope in set(granted.values_list("scope", flat=True))]
    context = {
        "metrics": [Metric(m).label for m in metrics],
        "rows": rows,
        "changes": [describe(run) for run in deviations(features)[:5]],
        "charts": _charts(features, last),
        "insights": [insights.say(found) for found in _insights(client.pk, features)],
        "caution": insights.CAUTION,
        "shared": shared,
        "has_data": bool(features),
        "sources": [(value, label) for value, label in SourceName.choices],
        "uploads": Upload.objects.filter(client=client).exclude(status__in=uploads.OPEN).order_by("-created_at")[:5],
        "unfinished": _unfinished(client.pk),
        "max_open": uploads.MAX_OPEN,
        "stall_minutes": int(uploads.STALL_AFTER.total_seconds() // 60),
        "expire_hours": int(uploads.EXPIRE_AFTER.total_seconds() // 3600),
        "imports": [
            (job, SourceName(job.source).label)
            for job in ImportJob.objects.filter(client=client).order_by("-created_at")
        ],
    }
    return render(request, "wearables/my_body_data.html", context)


def _unfinished(client_id: uuid.UUID) -> list[dict[str, object]]:
    """The client's unfinished uploads, with what the page offers for each: resume, retry or discard."""
    shown = []
    for upload in Upload.objects.filter(client_id=client_id, status__in=uploads.OPEN).order_by("-created_at"):
        state = uploads.describe(upload)
        receiving = upload.status == UploadStatus.RECEIVING
        shown.append(
            {
                "upload": upload,
                "percent": upload.received * 100 // upload.size,
                "held": uploads.upload_held(upload),
                "stalled": state["stalled"],
                "retry": state["retry"],
                "discard": receiving or state["stalled"],
            }
        )
    return shown


CHARTED = (Metric.SLEEP_TOTAL, Metric.SLEEP_REGULARITY, Metric.STEPS, Metric.RESTING_HR)
CHART_DAYS = 28


def _charts(features: list[DailyFeature], last: dt.date | None) -> list[SafeString]:
    if last is None:
        return []
    since = last - dt.timedelta(days=CHART_DAYS)
    shown = []
    for metric in CHARTED:
        rows = [
            (f.day, f.value, f.baseline_median, f.baseline_mad)
            for f in features
            if f.metric == metric and f.day > since
        ]
        if rows:
            shown.append(charts.feature_chart(metric, rows))
    return shown


def _insights(client_id: uuid.UUID, features: list[DailyFeature]) -> list[insights.Insight]:
    moods = insights.daily_mood(client_id)
    return insights.mood_insights(((f.day, f.metric, f.value) for f in features), moods) if moods else []


@client_required
@require_POST
def my_body_data_delete(request: HttpRequest) -> HttpResponse:
    """Delete all of the client's sensor data once they tick the confirmation."""
    client = client_or_404(request.user, str(request.user.pk), Action.OWN)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that all your sensor data should be deleted."))
    else:
        wearables_delete_all(actor=signed_in(request.user), client=client)
        messages.success(request, _("All your sensor data was deleted."))
    return redirect("wearables:mine")


@client_required
@require_POST
def my_import_delete(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Delete one of the client's imports (404 for anyone else's) and recompute their daily figures."""
    client = client_or_404(request.user, str(request.user.pk), Action.OWN)
    try:
        wearables_import_delete(actor=signed_in(request.user), client=client, job_id=job_id)
    except ImportJob.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("The import and its samples were deleted."))
    return redirect("wearables:mine")


@client_required
@require_POST
def upload_create(request: HttpRequest) -> HttpResponse:
    """Start a chunked upload (see uploads); answer with its id and the chunk size."""
    client = client_or_404(request.user, str(request.user.pk), Action.OWN)
    try:
        size = int(request.POST.get("size", ""))
        upload = uploads.upload_start(
            actor=signed_in(request.user),
            client=client,
            name=request.POST.get("name", ""),
            size=size,
            source=request.POST.get("source", ""),
            minute_zone=request.POST.get("minute_zone", ""),
        )
    except ValueError:
        return JsonResponse({"error": _("The upload needs the file's size in bytes.")}, status=400)
    except uploads.UploadRefused as error:
        return JsonResponse({"error": str(error)}, status=error.status)
    return JsonResponse(uploads.describe(upload), status=201)


@client_required
@require_http_methods(["GET", "PUT", "POST"])
def upload_detail(request: HttpRequest, upload_id: uuid.UUID) -> HttpResponse:
    """GET: how far it went. PUT: append a chunk at ``Upload-Offset``. POST: retry a stalled import."""
    upload = owned_or_404(signed_in(request.user), Upload, upload_id, Action.OWN)
    try:
        if request.method == "PUT":
            offset = int(request.headers.get("Upload-Offset", "-1"))
            upload = uploads.upload_chunk(upload=upload, offset=offset, data=request.body)
        elif request.method == "POST":
            upload = uploads.upload_retry(upload=upload)
    except ValueError:
        return JsonResponse({"error": _("Upload-Offset must be a number.")}, status=400)
    except uploads.UploadRefused as error:
        return JsonResponse({**uploads.describe(upload), "error": str(error)}, status=error.status)
    return JsonResponse(uploads.describe(upload))


@client_required
@require_POST
def upload_discard(request: HttpRequest, upload_id: uuid.UUID) -> HttpResponse:
    """Delete one of the client's unfinished uploads and its bytes (404 for anyone else's)."""
    upload = owned_or_404(signed_in(request.user), Upload, upload_id, Action.OWN)
    try:
        uploads.upload_discard(actor=signed_in(request.user), upload=upload)
    except uploads.UploadRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s was discarded.") % {"name": upload.name})
    return redirect("wearables:mine")


@staff_required
@require_GET
def client_sources(request: HttpRequest, membership: object, client_id: uuid.UUID) -> HttpResponse:
    """The clinician's data-sources tab: imports, shared streams, their charts and changes (404 to outsiders)."""
    client, grant = client_and_grant_or_404(request.user, str(client_id), Action.VIEW_CLINICAL)
    visible = metrics_of(grant.scopes)
    features = [f for f in client_features(client=client) if f.metric in visible]
    last = max((f.day for f in features), default=None)
    context = {
        "client": client,
        "workspace_tab": "body_data",  # the client record's "Body data" tab (care/_client_tabs.html)
        "workspace_client_id": client.pk,
        "streams": [Scope(scope).label for scope in WEARABLE_SCOPES if scope in grant.scopes],
        "imports": [
            (job, SourceName(job.source).label)
            for job in ImportJob.objects.filter(client=client).order_by("-created_at")
        ]
        if visible
        else [],
        "charts": _charts(features, last),
        "changes": [describe(run) for run in deviations(features)[:5]],
        # Mood is its own scope: the insights need it shared as well as the streams they compare it with.
        "insights": [insights.say(found, to_clinician=True) for found in _insights(client.pk, features)]
        if Scope.MOOD in grant.scopes
        else [],
        "caution": insights.CAUTION_CLINICIAN,
    }
    return render(request, "wearables/client_sources.html", context)


app_name = "wearables"
urlpatterns = [
    path("", my_body_data, name="mine"),
    path("delete/", my_body_data_delete, name="delete"),
    path("imports/<uuid:job_id>/delete/", my_import_delete, name="delete_import"),
    path("uploads/", upload_create, name="upload_create"),
    path("clients/<uuid:client_id>/sources/", client_sources, name="sources"),
    path("uploads/<uuid:upload_id>/", upload_detail, name="upload"),
    path("uploads/<uuid:upload_id>/discard/", upload_discard, name="upload_discard"),
    path("csv-mapping/", mapping.my_csv_mapping, name="csv_mapping"),
    path("csv-import/", csv_import.csv_import_start, name="csv_import"),
    path("csv-import/<uuid:upload_id>/", csv_import.csv_import_pick, name="csv_import_pick"),
    path("clients/<uuid:client_id>/csv-mapping/", csv_import.client_csv_pick, name="client_csv_mapping"),
]
