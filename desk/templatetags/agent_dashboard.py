"""The agents' index page: tickets in each state over all clinics, and the open ones waiting for
a first response (templates/admin/index.html)."""

from django import template

from tickets import agent_selectors

register = template.Library()


@register.simple_tag
def agent_dashboard() -> dict:
    return agent_selectors.agent_dashboard()
