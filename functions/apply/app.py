"""Transfer applications (sale and loan sale): property lookup, and the application itself."""

from estate.apply import lookup
from estate.http import create_app, route

app = create_app("estate-apply")


@route(app, "/properties/search", methods=["POST"])
def search_properties(request):
    return lookup.search_properties(request.caller, request.json())
