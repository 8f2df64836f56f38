"""Accounts: users, roles, login and the user admin pages."""
