from tests.points.conftest import _redis_breaker, _request_context, hr, own_redis  # noqa: F401
