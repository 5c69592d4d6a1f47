"""Points: the append-only ledger (source of truth) and the Redis leaderboards (its projection)."""
