"""Test helpers: conversation clients, form answers, broadcast and staff set-ups, bot processes."""
