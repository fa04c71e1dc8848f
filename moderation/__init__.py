"""Staff work queues: moderation (issue #6) and agent cases with SLA (issue #7)."""
