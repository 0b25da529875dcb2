"""The composing panel's buttons, in one table: `bc:<code>[:<args>]` (handled in flow.py)."""

from __future__ import annotations

from handlers.payloads import ButtonCode


class Press(ButtonCode, prefix="bc"):
    EVERYONE = "all"  # clear every filter
    REGISTERED_ONLY = "reg"  # toggle: registered businesses only
    FILTER_MENU = "m"  # bc:m:<category>: the values of one filter
    TOGGLE_FILTER = "t"  # bc:t:<category>:<value>
    SEND_NOW = "go"
    SCHEDULE = "later"  # ask for the time
    EDIT_TEXT = "edit"
    VERSIONS = "v"  # bc:v: the languages; bc:v:<lang>: ask for that language's text
    REMOVE_VERSION = "vrm"
    ATTACH_FILE = "att"
    REMOVE_FILE = "rm"
    CANCEL = "no"
    BACK_TO_PANEL = "back"
