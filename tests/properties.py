"""What the stateful property tests (hypothesis) share."""

from django.db import transaction
from hypothesis.stateful import RuleBasedStateMachine


class RolledBackMachine(RuleBasedStateMachine):
    """A state machine whose example runs in a savepoint rolled back at its
    end, so each example starts from the test's own world."""

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
