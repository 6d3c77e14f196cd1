"""What surrounds a lint run in a team's workflow: the configuration file, suppressions,
and importing Service Management exports into a topology document."""
