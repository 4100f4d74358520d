"""Excel import pages (office staff). Filled in by the import work."""

urlpatterns = []
