"""People, employers, branch offices and memberships (kepesertaan), with their history."""
