import pytest
from django.core.cache import cache
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from ikm_registry.api.throttling import AnonWindowThrottle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_public_cache")]


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def throttle(rate: str, clock: Clock) -> AnonWindowThrottle:
    instance = AnonWindowThrottle()
    instance.rate = rate
    instance.num_requests, instance.duration = instance.parse_rate(rate)
    instance.timer = clock
    return instance


def request_from(address: str) -> Request:
    return Request(RequestFactory().get("/api/v1/regions/", REMOTE_ADDR=address))


def test_an_address_gets_its_allowance_per_window_and_then_waits_for_the_next():
    clock = Clock(6_000_000 + 45.0)  # 45 s into a clock minute
    minute = throttle("3/minute", clock)
    visitor = request_from("10.0.0.1")
    assert [minute.allow_request(visitor, None) for _ in range(4)] == [True, True, True, False]
    assert minute.wait() == 15.0
    clock.now += 15.0  # the next minute
    assert minute.allow_request(visitor, None)


def test_addresses_are_counted_apart():
    clock = Clock(6_000_000.0)
    minute = throttle("2/minute", clock)
    assert [minute.allow_request(request_from("10.0.0.1"), None) for _ in range(3)] == [True, True, False]
    assert minute.allow_request(request_from("10.0.0.2"), None)


def test_workers_sharing_the_cache_share_one_count():
    clock = Clock(6_000_000.0)
    first_worker, second_worker = throttle("4/minute", clock), throttle("4/minute", clock)
    visitor = request_from("10.0.0.1")
    answers = [worker.allow_request(visitor, None) for worker in (first_worker, second_worker) * 3]
    assert answers == [True, True, True, True, False, False]


def test_a_counter_that_expires_between_add_and_incr_starts_again(monkeypatch):
    minute = throttle("2/minute", Clock(6_000_000.0))
    answers = iter([False, True])  # the counter is there when added, and gone when raised
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: next(answers))
    assert minute.allow_request(request_from("10.0.0.1"), None)


def test_the_api_answers_429_with_retry_after_past_the_allowance(client, monkeypatch):
    # A rate on the class wins over API_ANON_RATE, as in DRF.
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)
    monkeypatch.setattr(AnonWindowThrottle, "timer", Clock(6_000_000.0))  # no minute ends during the test
    statuses = [client.get("/api/v1/regions/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = client.get("/api/v1/regions/")
    assert 1 <= int(refused["Retry-After"]) <= 60
