from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from duban.api.auth import issue_token
from duban.people.models import User


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print it (it is stored only as a hash)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, username: str, name: str, **options) -> None:  # noqa: ANN002, ANN003
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有这个用户 No such active user: {username}")
        self.stdout.write(issue_token(None, user, name))
