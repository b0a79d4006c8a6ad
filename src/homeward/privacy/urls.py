from django.urls import path

from homeward.privacy import views

app_name = "privacy"

urlpatterns = [
    path("cases/<str:reference>/consents/", views.consents, name="consents"),
    path("cases/<str:reference>/consents/<int:consent_id>/withdraw/", views.consent_withdraw, name="withdraw"),
    path("cases/<str:reference>/anonymise/", views.case_erase, name="erase"),
    path("persons/<int:person_id>/export/", views.person_export, name="export"),
]
