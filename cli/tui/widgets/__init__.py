"""Reusable widgets of the TUI (display only: no service calls)."""
