"""The agents' index page: tickets in each state over all clinics, and the open ones waiting for
a first response (templates/admin/index.html)."""

from django import template

from tickets.agent_selectors import agent_dashboard

register = template.Library()
register.simple_tag(agent_dashboard)
