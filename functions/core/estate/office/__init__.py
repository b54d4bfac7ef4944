"""The registration centre's back office (clerks) and the bank desk (loan officers)."""
