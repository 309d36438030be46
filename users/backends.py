from django.contrib.auth.backends import ModelBackend

from users.selectors import user_with_two_factor_state


class UserBackend(ModelBackend):
    """Django's model backend, loading with the user on each request its two-factor state, so the
    two-factor check costs no query of its own."""

    def get_user(self, user_id):
        user = user_with_two_factor_state(pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
