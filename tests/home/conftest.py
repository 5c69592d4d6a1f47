from tests.badges.conftest import levels  # noqa: F401
from tests.points.conftest import _redis_breaker, _request_context, hr  # noqa: F401
