from tests.badges.conftest import levels  # noqa: F401
from tests.points.conftest import hr  # noqa: F401
