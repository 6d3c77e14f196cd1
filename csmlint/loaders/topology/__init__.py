"""The ``csmlint.topology/v1`` document: schema checks, field mapping and the loader that
turns it into subscriptions, cloud services and virtual networks."""
