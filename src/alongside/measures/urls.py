from alongside.measures.views import client, staff

app_name = "measures"

urlpatterns = [*client.urlpatterns, *staff.urlpatterns]
