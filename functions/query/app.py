"""Personal property query (个人不动产登记信息查询) and the public check of every issued PDF (GET /verify/{code})."""

from estate import wiring
from estate import audit
from estate.documents import issue
from estate.http import create_app, created, route
from estate.queries import personal
from estate.queries.models import DocumentVerification, QueryAnswer, QueryForm

app = create_app("estate-query")
WIRING = wiring.declare("query")


@route(app, "/verify/{code}", public=True, answers=DocumentVerification)
def verify_document(request, code):
    return issue.verify(code, request.query, browser=request.prefers_html())


@route(app, "/queries", methods=["POST"], body=QueryForm, answers=QueryAnswer)
def create_query(request):
    form = request.body
    return created(audit.run(request, "query.create", None, lambda: personal.create_query(request.caller, form),
                             detail=lambda view: {"query_id": view["id"], "scope": view["scope"],
                                                  "purpose": view["purpose"], "units": len(view["units"])}))


@route(app, "/queries/{id}", answers=QueryAnswer)
def get_query(request, id):  # noqa: A002 - the path parameter's public name
    return audit.run(request, "query.read", id, lambda: personal.get_own_query(request.caller, id))
