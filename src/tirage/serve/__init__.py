"""`tirage serve`: the local web review desk (Starlette app, Jinja2 templates, own assets).

Imported only by the `serve` command: the web stack stays out of every other command.
"""
