"""The public site (no login) under site/, and its editor for administrators under public-site/."""

from django.urls import path

from homeward.public import views

app_name = "public"

urlpatterns = [
    # Public, no account (accounts.middleware lists "/site/").
    path("site/", views.site_list, name="site_list"),
    path("site/<str:code>/", views.site_root, name="site_root"),
    path("site/<str:code>/<str:lang>/", views.home, name="home"),
    path("site/<str:code>/<str:lang>/contact/", views.contact, name="contact"),
    path("site/<str:code>/<str:lang>/apply/", views.apply, name="apply"),
    path("site/<str:code>/<str:lang>/apply/done/<str:token>/", views.ack, name="ack"),
    path("site/<str:code>/<str:lang>/<slug:slug>/", views.page, name="page"),
    # Administrators.
    path("public-site/", views.editor_index, name="editor_index"),
    path("public-site/<str:code>/", views.editor_pages, name="editor_pages"),
    path("public-site/<str:code>/new/", views.editor_page_create, name="editor_page_create"),
    path("public-site/<str:code>/<int:page_id>/", views.editor_page, name="editor_page"),
    path("public-site/<str:code>/<int:page_id>/publish/", views.editor_publish, name="editor_publish"),
    path("public-site/<str:code>/<int:page_id>/<str:lang>/", views.editor_translation, name="editor_translation"),
]
