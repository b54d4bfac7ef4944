"""Sign-in and the API's TOKEN authorizer.

- `app` (SignInFunction): the public sign-in routes — a sign-in starts at an identity provider (the
  centre's for staff, 三晋通 for citizens) and finishes with our own short-lived RS256 token;
- `authorize` (AuthFunction): API Gateway's TOKEN authorizer, verifying that token on every call.
"""

from estate.auth import authorize_token_event
from estate.http import create_app, route
from estate.signin import service
from estate.signin.models import SignedIn, SignInFinish, SignInRedirect, SignInStart, StaffSignInStart

app = create_app("estate-auth")


@route(app, "/auth/staff/authorize", methods=["POST"], public=True, body=StaffSignInStart, answers=SignInRedirect)
def start_staff_sign_in(request):
    return service.start(service.door("staff"), request.body.code_challenge, desk=request.body.desk)


@route(app, "/auth/staff/token", methods=["POST"], public=True, body=SignInFinish, answers=SignedIn)
def finish_staff_sign_in(request):
    return service.finish(service.door("staff"), request.body)


@route(app, "/auth/citizen/authorize", methods=["POST"], public=True, body=SignInStart, answers=SignInRedirect)
def start_citizen_sign_in(request):
    return service.start(service.door("citizen"), request.body.code_challenge)


@route(app, "/auth/citizen/token", methods=["POST"], public=True, body=SignInFinish, answers=SignedIn)
def finish_citizen_sign_in(request):
    return service.finish(service.door("citizen"), request.body)


@app.lambda_function(name="authorize")
def authorize(event, context):
    return authorize_token_event(event)
