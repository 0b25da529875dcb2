"""The composition root: opens the dependencies, starts and stops every part, runs each command.

Nothing in handlers/, knowledge/, storage/ or channels/ imports this package; it imports them.
`bot.py` parses the command line and calls `wiring.commands.run`.
"""
