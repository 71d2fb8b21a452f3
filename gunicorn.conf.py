"""gunicorn reads this file from the directory it starts in (the project's, and /app in the
image): settings given on the command line (workers, threads, bind) still win.

Each worker moves every object it holds once the portal is loaded (Django, the URLs, the
models) out of the garbage collector's reach: they live as long as the worker, and a full
collection walking all of them paused a worker for about 55 ms every couple of thousand
requests, which showed as the pages' 99th-percentile latency (README, How the pages stay fast).
Before that, it computes the dummy hash of unknown accounts (accounts/passwords.py).
"""

import gc


def post_worker_init(worker):
    from accounts.passwords import prepare_dummy_hash

    prepare_dummy_hash()
    gc.collect()
    gc.freeze()
