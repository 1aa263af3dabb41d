"""Root URL configuration. There is deliberately no Django admin: it would bypass the access layer."""

from django.urls import include, path
from django.views.i18n import set_language

from alongside.accounts import urls as accounts_urls
from alongside.api.urls import api
from alongside.care import account_views
from alongside.care import urls as care_urls
from alongside.dashboards import brief_views, report_views
from alongside.dashboards import views as dashboard_views
from alongside.sessions import urls as sessions_urls

urlpatterns = [
    # First: every API call would otherwise try each page pattern above it before reaching its own (issue #19).
    path("api/v1/", api.urls),
    path("", include("alongside.web.urls")),
    path("accounts/", include((accounts_urls.urlpatterns + account_views.urlpatterns, "accounts"))),
    path(
        "practice/", include((dashboard_views.urlpatterns + report_views.urlpatterns + care_urls.urlpatterns, "care"))
    ),
    path("consent/", include("alongside.consent.urls")),
    path("measures/", include("alongside.measures.urls")),
    path("safety/", include("alongside.measures.views.safety_feedback")),
    path("selfcare/", include("alongside.selfcare.urls")),
    path("my/", include((report_views.own_urlpatterns, "reports"))),
    path("messages/", include("alongside.messaging.urls")),
    path("sessions/", include((sessions_urls.urlpatterns + brief_views.urlpatterns, "sessions"))),
    path("notifications/", include("alongside.notify.urls")),
    path("wearables/", include("alongside.wearables.urls")),
    path("applibrary/", include("alongside.applibrary.urls")),
    path("telehealth/", include("alongside.telehealth.urls")),
    path("records/", include("alongside.records.urls")),
    path("practice/risk/", include("alongside.risk.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
]

# A lost database connection answers 503 with Retry-After (JSON for the API), not a bare 500.
handler500 = "alongside.web.unavailable.server_error"
