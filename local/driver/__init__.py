"""Drives the local stack as people and officers do: request helpers, form bodies, whole flows
(signing, a submitted case, taxes paid), counting AWS calls. Used by tests/ and by bench/ (which
uses no code from tests/)."""
