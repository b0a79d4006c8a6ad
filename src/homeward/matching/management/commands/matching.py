"""``homeward matching index`` files every person again (after an upgrade changed the keys);
``homeward matching train`` estimates the model again on this installation's own people."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from homeward.matching import indexing, selectors
from homeward.matching.models import MatchRecord, TrainedModel

MIN_PEOPLE = 1000  # fewer, and EM has too few pairs to learn from: the shipped model stays


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["index", "train"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "index":
            with transaction.atomic():
                count = indexing.index_all()
            self.stdout.write(f"{count} persons indexed.")
            return
        from homeward.matching import training

        profiles = {r.person_id: selectors.record_profile(r) for r in MatchRecord.objects.iterator(chunk_size=5000)}
        if len(profiles) < MIN_PEOPLE:
            raise CommandError(
                f"Only {len(profiles)} persons recorded: at least {MIN_PEOPLE} are needed to estimate the model; "
                "the shipped model stays in use."
            )
        parameters = training.train(profiles)
        TrainedModel.objects.create(parameters=parameters.to_json())
        selectors.forget_parameters()
        self.stdout.write(f"Model estimated on {len(profiles)} persons; prior {parameters.prior:.2e}.")
