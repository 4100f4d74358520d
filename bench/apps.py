from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Only a management command (`manage.py bench`); no models."""

    name = "bench"
    verbose_name = "Benchmark"
