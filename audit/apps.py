from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from audit import context, signals, triggers
        from yhdyspinta import fragments

        connection_created.connect(context.connection_prepare, dispatch_uid="audit-connection")
        # Triggers are (re)installed after every migrate, so a new table or column is never missed
        # and SQLite's table rebuilds, which drop triggers, cannot leave a table unaudited.
        post_migrate.connect(triggers.install_after_migrate, sender=self, dispatch_uid="audit-triggers")
        # Pages are cached under audit entry ids (yhdyspinta.fragments); a new database starts them again.
        post_migrate.connect(fragments.empty, sender=self, dispatch_uid="page-cache-empty")
        signals.connect()
