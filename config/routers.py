"""Database routing for scale-out: public reads may go to a read replica."""


class PrimaryReplicaRouter:
    """Reads go to the replica, writes and migrations to the primary.

    Both aliases hold the same data (the replica streams from the primary), so relations
    between objects from either are allowed.
    """

    def db_for_read(self, model, **hints):
        return "replica"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
