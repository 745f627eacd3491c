import pytest

# The shared helpers assert too: pytest explains their failures like a test's own.
pytest.register_assert_rewrite("tests.kit")
