from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "homeward.accounts"
    label = "accounts"

    def ready(self) -> None:
        from homeward.accounts import middleware  # noqa: F401 - connects signed_in to user_logged_in
