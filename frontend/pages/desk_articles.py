"""/desk/articles/: customer service writes the knowledge base — search,
create and edit (each edit keeps the previous version, shown below it)."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy

from frontend.access import page_requires
from geocases.accounts.access import Action
from geocases.categories.models import Category
from geocases.core.errors import ApplicationError
from geocases.knowledge.models import Article, ArticleKind
from geocases.knowledge.selectors import article_history, article_search
from geocases.knowledge.services import article_save


class ArticleForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ArticleKind.choices)
    body = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    checklist = forms.CharField(
        label=gettext_lazy("Checklist, one item per line"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    categories = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Categories"),
        required=False,
        queryset=Category.objects.filter(is_active=True).order_by("group__order", "order"),
        widget=forms.CheckboxSelectMultiple,
    )
    is_published = forms.BooleanField(label=gettext_lazy("Published"), required=False, initial=True)


@page_requires(Action.DESK)
def article_list(request):
    query = request.GET.get("q", "")[:200].replace("\x00", "")
    articles = article_search(query=query, published_only=False)[:100]
    return render(request, "frontend/desk_articles.html", {"articles": articles, "q": query})


@page_requires(Action.KNOWLEDGE_WRITE)
def article_edit(request, pk: int | None = None):
    user = request.user
    article = get_object_or_404(Article, pk=pk) if pk else None
    initial = {}
    if article:
        initial = {
            "title": article.title,
            "kind": article.kind,
            "body": article.body,
            "checklist": "\n".join(
                article.items.filter(is_active=True).values_list("text", flat=True)
            ),
            "categories": article.categories.all(),
            "is_published": article.is_published,
        }
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = article_save(
                user=user,
                article=article,
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                categories=data["categories"],
                checklist=data["checklist"].splitlines(),
                is_published=data["is_published"],
            )
            return redirect("frontend:desk-article", pk=saved.pk)
        except ApplicationError as error:
            for name, messages in (error.fields or {None: [error.message]}).items():
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)
    history = article_history(article=article) if article else []
    return render(
        request,
        "frontend/desk_article.html",
        {"form": form, "article": article, "history": history},
    )
