from django.contrib import admin

from geocases.knowledge.models import Article, ArticleVersion, ChecklistItem


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["order", "text", "is_active"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ArticleVersionInline(admin.TabularInline):
    model = ArticleVersion
    extra = 0
    fields = ["version", "title", "edited_at", "edited_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Read here; agents write articles in the staff web, where each edit keeps
    the previous version (``article_save``)."""

    list_display = ["title", "kind", "is_published", "version", "updated_at", "updated_by"]
    list_filter = ["kind", "is_published", "categories"]
    search_fields = ["title", "body"]
    readonly_fields = [
        "title",
        "body",
        "kind",
        "categories",
        "is_published",
        "version",
        "updated_at",
        "updated_by",
    ]
    inlines = [ChecklistItemInline, ArticleVersionInline]

    def has_add_permission(self, request) -> bool:
        return False
