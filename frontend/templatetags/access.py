"""``{% if user|may:"insights" %}``: what a page shows of other pages (a
link in the header, say) asks the permission matrix, as the pages
themselves do (``frontend.access.page_requires``)."""

from django import template

from geocases.accounts.access import Action, user_may

register = template.Library()


@register.filter
def may(user, action: str) -> bool:
    return user_may(user, Action(action))
