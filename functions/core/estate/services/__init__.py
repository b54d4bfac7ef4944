"""Services several use-case packages share, each with its own store items: face checks (starting an
application, signing, the personal property query), picture captchas (booking, the property query)
and the working-day calendar with the legal deadline (applications, the office, bookings).

They sit between the use-case packages and the layers below: a service may use domain/, store/,
adapters/ and the core modules (config, clock, errors, principal), never a use-case package, so a
feature never has to import another feature to reach one.
"""
