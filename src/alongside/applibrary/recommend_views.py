"""Recommending an app to a client (clinician) and answering the recommendation (client)."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from alongside.applibrary import selectors, services
from alongside.applibrary.models import App, AppStatus, RecommendationStatus
from alongside.care.models import Membership
from alongside.care.views import client_required, practice_render, staff_required
from alongside.core.actor import signed_in


class RecommendForm(forms.Form):
    app = forms.ChoiceField(label=gettext_lazy("App"))
    purpose = forms.CharField(
        label=gettext_lazy("What for"),
        max_length=500,
        help_text=gettext_lazy("For example: use the sleep diary every morning for 2 weeks."),
    )
    note = forms.CharField(label=gettext_lazy("Note for the client"), required=False, widget=forms.Textarea)
    data_practices_discussed = forms.BooleanField(
        label=gettext_lazy("I have discussed this app's data practices with the client"), required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        available = App.objects.filter(status=AppStatus.AVAILABLE).values_list("slug", "name")
        self.fields["app"].choices = list(available)  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Your answer"),
        widget=forms.RadioSelect,
        choices=[
            (RecommendationStatus.USING, gettext_lazy("I am using it")),
            (RecommendationStatus.DECLINED, gettext_lazy("Not for me")),
        ],
    )
    comment = forms.CharField(
        label=gettext_lazy("How is it going, or why not?"), required=False, max_length=1000, widget=forms.Textarea
    )


@staff_required
@require_http_methods(["GET", "POST"])
def client_apps(request: HttpRequest, membership: Membership, client_id: uuid.UUID) -> HttpResponse:
    client, rows = selectors.recommendations_for(actor=signed_in(request.user), client_id=client_id)
    form = RecommendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_create(
                actor=signed_in(request.user),
                client=client,
                app_slug=data["app"],
                purpose=data["purpose"],
                note=data["note"],
                data_practices_discussed=data["data_practices_discussed"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("App recommended."))
            return redirect("applibrary:client_apps", client_id=client.pk)
    _client, entries = selectors.imported_entries(actor=signed_in(request.user), client_id=client.pk)
    context = {"client": client, "rows": rows, "form": form, "entries": entries}
    return practice_render(request, membership, "applibrary/client_apps.html", context)


@client_required
@require_http_methods(["GET"])
def my_apps(request: HttpRequest) -> HttpResponse:
    _client, rows = selectors.recommendations_for(actor=signed_in(request.user), client_id=str(request.user.pk))
    return render(request, "applibrary/my_apps.html", {"rows": rows, "form": AnswerForm()})


@client_required
@require_POST
def my_app_answer(request: HttpRequest, recommendation_id: uuid.UUID) -> HttpResponse:
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_answer(
                actor=signed_in(request.user),
                recommendation_id=recommendation_id,
                status=form.cleaned_data["status"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you. Your therapist will see your answer."))
    else:
        messages.error(request, _("Choose whether you use the app or it is not for you."))
    return redirect("applibrary:my_apps")


urlpatterns: list[URLPattern] = [
    path("clients/<uuid:client_id>/apps/", client_apps, name="client_apps"),
    path("my-apps/", my_apps, name="my_apps"),
    path("my-apps/<uuid:recommendation_id>/answer/", my_app_answer, name="my_app_answer"),
]
