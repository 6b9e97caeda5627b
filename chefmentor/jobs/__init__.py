"""Background jobs: media preprocessing, cache cleanup, audit-log rotation.

Runners: arq workers on Redis (`chefmentor worker`) when CHEFMENTOR_REDIS_URL is set, otherwise asyncio tasks
inside the API server; `chefmentor jobs run NAME` runs one job now. Every job is idempotent.
"""
