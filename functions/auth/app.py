"""The API's TOKEN authorizer: verifies the bearer JWT and hands the caller's claims to the views."""

from estate.auth import authorize_token_event
from estate.http import create_plain_app

app = create_plain_app("estate-auth")


@app.lambda_function(name="authorize")
def authorize(event, context):
    return authorize_token_event(event)
