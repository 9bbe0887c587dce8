from django.contrib.auth import views as auth_views
from django.urls import path

from jixiao.web.views import base, jobs, manage, review, submissions

urlpatterns = [
    path("", base.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("submissions/", submissions.index, name="submissions"),
    path("s/<int:pk>/", submissions.detail, name="submission"),
    path("s/<int:pk>/preview/", submissions.preview, name="preview"),
    path("s/<int:pk>/save/", submissions.save, name="save"),
    path("s/<int:pk>/explain/", submissions.explain, name="explain"),
    path("s/<int:pk>/submit/", submissions.submit, name="submit"),
    path("s/<int:pk>/comment/", submissions.comment, name="comment"),
    path("s/<int:pk>/excel/", submissions.excel, name="excel"),
    path("s/<int:pk>/upload/", submissions.upload, name="upload"),
    path("s/<int:pk>/render/", jobs.render_documents, name="render"),
    path("s/<int:pk>/act/", review.act, name="act"),
    path("review/", review.index, name="review"),
    path("review/bulk/", review.bulk, name="bulk"),
    path("review/export/", review.export, name="export"),
    path("review/charts/", review.charts, name="charts"),
    path("review/charts/data/", review.chart_data, name="chart_data"),
    path("departments/<int:pk>/", review.department, name="department"),
    path("jobs/<int:pk>/", jobs.job, name="job"),
    path("jobs/<int:pk>/files/<path:name>", jobs.job_file, name="job_file"),
    path("audit/", jobs.audits, name="audits"),
    path("audit/upload/", jobs.audit_upload, name="audit_upload"),
    path("audit/<int:pk>/view/", jobs.audit_view, name="audit_view"),
    path("import/", jobs.imports, name="imports"),
    path("import/upload/", jobs.import_upload, name="import_upload"),
    path("manage/", manage.index, name="manage"),
    path("manage/organisations/", manage.create_organisation, name="manage_org"),
    path("manage/users/", manage.create_user, name="manage_users"),
    path("manage/users/<int:pk>/", manage.update_user, name="manage_user"),
]

handler400 = base.error_400
handler403 = base.error_403
handler404 = base.error_404
handler500 = base.error_500
