"""estate: the one shared package behind every function of the registration service.

Layers, inner to outer (dependencies point inward only):
  domain/    pure rules: identifiers, eligibility, taxes, calendar (no boto3, no pynamodb)
  store/     one PynamoDB module per aggregate
  adapters/  AWS and third-party services behind small lazy classes
  principal.py, results.py  who is asking (and the staff gate); what a use case answers
  services/  shared by several use-case packages: face checks, captchas, the working calendar
  <usecase packages>  what a function does, called by its thin Chalice app (apply, booking, office, …)
  http.py    the one place where requests are parsed and results and domain errors become HTTP
             responses; the only module that imports Chalice

No module imports another in a circle, not even from inside a function (a contract test parses
every import); a lazy import only keeps a heavy library (PIL, fpdf, boto3) off the cold start.
"""
