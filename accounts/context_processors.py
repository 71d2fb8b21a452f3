def portal(request):
    """The connected clinic (resolved from the session by PortalSessionMiddleware)."""
    return {"portal_clinic": getattr(request, "clinic", None)}
