"""Personal property query (个人不动产登记信息查询) and the public check of every issued PDF (GET /verify/{code})."""

from estate import wiring
from estate import audit
from estate.documents import issue
from estate.http import create_app, created, route
from estate.queries import personal

app = create_app("estate-query")
WIRING = wiring.declare("query")


@route(app, "/verify/{code}", public=True)
def verify_document(request, code):
    return issue.verify(code, request.query)


@route(app, "/queries", methods=["POST"])
def create_query(request):
    body = request.json()
    return created(audit.run(request, "query.create", None, lambda: personal.create_query(request.caller, body),
                             detail=lambda view: {"query_id": view["id"], "scope": view["scope"],
                                                  "purpose": view["purpose"], "units": len(view["units"])}))


@route(app, "/queries/{id}")
def get_query(request, id):  # noqa: A002 - the path parameter's public name
    return audit.run(request, "query.read", id, lambda: personal.get_own_query(request.caller, id))
