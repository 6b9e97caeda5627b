"""Scripted evaluation of diagnoses: case files, runner with record/replay cache, metrics, reports."""
