"""`jamsos enrolment`: see :mod:`jamsos.partners.cli.enrolment`."""

from jamsos.partners.cli.enrolment import EnrolmentCommand


class Command(EnrolmentCommand):
    pass
