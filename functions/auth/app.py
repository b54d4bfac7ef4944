"""The API's TOKEN authorizer: verifies the bearer JWT and hands the caller's claims to the views."""

from chalice import Chalice

from estate.auth import authorize_token_event

app = Chalice(app_name="estate-auth")


@app.lambda_function(name="authorize")
def authorize(event, context):
    return authorize_token_event(event)
