"""Registration-information query and the public check of every issued PDF (GET /verify/{code})."""

from estate.documents import issue
from estate.http import create_app, route

app = create_app("estate-query")


@route(app, "/verify/{code}", public=True)
def verify_document(request, code):
    return issue.verify(code, request.query)
