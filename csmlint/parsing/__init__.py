"""The hardened entry points every input goes through: capped reads, XML, JSON, YAML (rule
packs and configuration), schema checks of YAML data, and text positions."""
