"""Pure file renderers: the ministry report (Markdown + CSV) and burn-up charts (PNG).

No database, Slack or network access: the functions take :mod:`bot.render.rows` values and
return ``str`` / ``bytes`` for the caller to upload.
"""
