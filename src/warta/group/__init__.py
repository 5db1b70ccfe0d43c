"""warta stage."""
