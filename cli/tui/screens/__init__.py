"""Screens of the TUI; each loads its data through the gateway in workers and renders messages."""
