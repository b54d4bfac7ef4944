"""Sign-in: staff through the centre's identity provider, citizens through 三晋通 (see service.py)."""
