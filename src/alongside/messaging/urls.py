"""URL routes of the messaging pages."""

from alongside.messaging.erased_views import urlpatterns as _erased
from alongside.messaging.missed_views import urlpatterns as _missed
from alongside.messaging.views import urlpatterns as _pages

app_name = "messaging"
urlpatterns = [*_pages, *_erased, *_missed]
