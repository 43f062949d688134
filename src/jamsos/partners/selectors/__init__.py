"""What the partner pages, API and commands read: partners and agreements, door-to-door listing,
enrolment lists; each scoped to the caller."""
