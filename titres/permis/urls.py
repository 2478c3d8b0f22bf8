app_name = "permis"
urlpatterns = []
