"""Drones as first responders: dock coverage and placement from a force's own incident history."""
