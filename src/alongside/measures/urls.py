from alongside.measures.views import client, practice, staff

app_name = "measures"

urlpatterns = [*client.urlpatterns, *staff.urlpatterns, *practice.urlpatterns]
