"""`make bench`: a repeatable load benchmark of the portal on PostgreSQL (see README, Benchmark)."""
