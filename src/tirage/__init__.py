"""tirage: localise long-form articles through gettext PO catalogs."""

__version__ = "0.1.0"
