"""The justice journey: case lifecycle, deadlines, victim engagement. Stands on ``domain``."""
