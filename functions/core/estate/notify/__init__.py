"""Telling people what happened to their case: an entry in GET /me/notifications and an SMS through
the outbox (estate.store.notifications), written with the change they report."""
