"""gunicorn's settings for the IKM Registry, read from the project folder (gunicorn loads ./gunicorn.conf.py).

Command-line options still win: the README's command gives the workers and the address.
"""

import gc

# Requests a worker serves before it moves what it has built so far (modules, templates, the reference rows
# it keeps) out of the garbage collector's reach. Those live as long as the worker, yet each full collection
# walked all of them again: 230,000 objects, about 3% of an uncached directory page's CPU.
FREEZE_AFTER_REQUESTS = 500


def post_request(worker, req, environ, resp):
    if worker.nr == FREEZE_AFTER_REQUESTS:
        gc.freeze()
