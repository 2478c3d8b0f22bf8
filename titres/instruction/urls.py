app_name = "instruction"
urlpatterns = []
