from django.urls import path

from homeward.work import views

app_name = "work"

urlpatterns = [
    path("work/", views.mine, name="mine"),
    path("work/tasks/<int:pk>/complete/", views.task_complete, name="complete"),
    path("work/tasks/<int:pk>/cancel/", views.task_cancel, name="cancel"),
    path("work/tasks/<int:pk>/take/", views.task_take, name="take"),
    path("work/tasks/<int:pk>/reassign/", views.task_reassign, name="reassign"),
    path("work/cases/<str:reference>/tasks/new/", views.case_task_add, name="case_task_add"),
]
