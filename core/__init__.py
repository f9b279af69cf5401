"""What every app may use and that imports no app: durable background work
(the job outbox), resilient infrastructure, and small shared helpers."""
