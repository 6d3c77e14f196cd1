"""Azure's own facts, as tables and pure functions: role sizes and cores, region names,
naming rules and the migration commands of each kind of migration unit."""
