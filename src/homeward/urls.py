from django.contrib import admin
from django.urls import include, path

from homeward.accounts import views as accounts_views
from homeward.api import api

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("accounts/", include("homeward.accounts.urls")),
    path("cases/", include("homeward.cases.urls")),
    path("programmes/", include("homeward.programmes.urls")),
    path("", include("homeward.counselling.urls")),
    path("", include("homeward.safeguarding.urls")),
    path("", include("homeward.travel.urls")),
    path("", include("homeward.assistance.urls")),
    path("", include("homeward.grants.urls")),
    path("", include("homeward.reintegration.urls")),
    path("", include("homeward.budgets.urls")),
    path("", include("homeward.monitoring.urls")),
    path("", include("homeward.surveys.urls")),
    path("", include("homeward.feedback.urls")),
    path("", include("homeward.outreach.urls")),
    path("", include("homeward.work.urls")),
    path("", include("homeward.jobs.urls")),
    path("", include("homeward.reporting.urls")),
    path("", include("homeward.imports.urls")),
    path("", include("homeward.partners.urls")),
    path("", include("homeward.triage.urls")),
    path("", include("homeward.appointments.urls")),
    path("", include("homeward.accommodation.urls")),
    path("", include("homeward.health.urls")),
    path("", include("homeward.activities.urls")),
    path("", include("homeward.matching.urls")),
    path("", include("homeward.privacy.urls")),
    path("", include("homeward.public.urls")),
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
