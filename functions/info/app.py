"""Reference content: outlets, business types, materials checklists, policies, guides, FAQ."""

from estate import wiring
from estate.http import create_app, route
from estate.info import usecases
from estate.info.models import (BusinessTypeList, FaqList, Guide, GuideList, MaterialsChecklist, Outlet, OutletList,
                                Policy, PolicyList)

app = create_app("estate-info")
WIRING = wiring.declare("info")


@route(app, "/outlets", public=True, answers=OutletList)
def list_outlets(request):
    return usecases.list_outlets()


@route(app, "/outlets/{code}", public=True, answers=Outlet)
def get_outlet(request, code):
    return usecases.get_outlet(code)


@route(app, "/business-types", public=True, answers=BusinessTypeList)
def list_business_types(request):
    return usecases.list_business_types()


@route(app, "/info/materials", public=True, answers=MaterialsChecklist)
def materials_checklist(request):
    return usecases.materials_checklist(request.query)


@route(app, "/info/policies", public=True, answers=PolicyList)
def list_policies(request):
    return usecases.list_policies()


@route(app, "/info/policies/{id}", public=True, answers=Policy)
def get_policy(request, id):  # noqa: A002 - the path parameter's public name
    return usecases.get_policy(id)


@route(app, "/info/guides", public=True, answers=GuideList)
def list_guides(request):
    return usecases.list_guides(request.query)


@route(app, "/info/guides/{id}", public=True, answers=Guide)
def get_guide(request, id):  # noqa: A002
    return usecases.get_guide(id)


@route(app, "/info/faqs", public=True, answers=FaqList)
def list_faqs(request):
    return usecases.list_faqs(request.query)
