"""Gettext-exact catalogs: reading, writing, line breaks, format checks, locking."""
