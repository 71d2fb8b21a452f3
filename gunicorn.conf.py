"""Read by gunicorn where it starts (the command line still wins). Each worker computes the dummy
hash of unknown accounts (accounts/passwords.py), then freezes its objects out of the garbage
collector's reach: a full collection walking them paused a worker about 55 ms every couple of
thousand requests, the pages' 99th-percentile latency."""

import gc


def post_worker_init(worker):
    from accounts.passwords import prepare_dummy_hash

    prepare_dummy_hash()
    gc.collect()
    gc.freeze()
