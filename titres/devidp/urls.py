app_name = "devidp"
urlpatterns = []
