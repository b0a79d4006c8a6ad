from django.core.management.base import BaseCommand

from homeward.cases.diagram import document


class Command(BaseCommand):
    help = "Print docs/workflow.md: the workflow diagram and task rules, generated from cases/workflow.py."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(document(), ending="")
