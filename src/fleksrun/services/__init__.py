"""Services: one module per capability. They own transactions: one command, one transaction."""
