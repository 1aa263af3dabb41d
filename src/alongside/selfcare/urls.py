from alongside.selfcare import missed_views
from alongside.selfcare.views import checkins, exercises, homework, learn, tools

app_name = "selfcare"

urlpatterns = [
    *checkins.urlpatterns,
    *exercises.urlpatterns,
    *tools.urlpatterns,
    *learn.urlpatterns,
    *homework.urlpatterns,
    *missed_views.urlpatterns,
]
