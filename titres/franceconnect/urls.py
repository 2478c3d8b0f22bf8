app_name = "franceconnect"
urlpatterns = []
