from django.apps import AppConfig


class CategoriesConfig(AppConfig):
    name = "geocases.categories"
    label = "categories"
