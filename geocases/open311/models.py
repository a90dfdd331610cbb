"""Open311 GeoReport v2: API keys issued to other systems."""
