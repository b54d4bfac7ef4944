"""The embedded local stack behind `make run`: moto as AWS, the handlers in-process, one HTTP origin.

Everything is provisioned from template.yaml and statemachine/, so the local system cannot
drift from what ops deploy. Nothing in this package is deployed.
"""
