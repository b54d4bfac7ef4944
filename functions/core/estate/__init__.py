"""estate: the one shared package behind every function of the registration service.

Layers, inner to outer (dependencies point inward only):
  domain/    pure rules: identifiers, eligibility, taxes, calendar (no boto3, no pynamodb)
  store/     one PynamoDB module per aggregate
  adapters/  AWS and third-party services behind small lazy classes
  <usecase packages>  what a function does, called by its thin Chalice app
  http.py    the one place where domain errors become HTTP responses
"""
