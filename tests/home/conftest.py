from tests.badges.conftest import levels  # noqa: F401
