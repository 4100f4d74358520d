from django.core.management.base import BaseCommand

from notifications.schedules import sync_schedules


class Command(BaseCommand):
    help = "Create or update the beat schedule entries of the scheduled jobs."

    def handle(self, *args, **options):
        for name in sync_schedules():
            self.stdout.write(name)
