"""Logs (structlog), errors (Sentry), product analytics (PostHog) and metrics (Prometheus); all off until configured."""
