"""Report figures: matplotlib figures with Swedish labels and alt text."""

from utvardering.figures.base import FARGER, PALETT, Figur, new_figure
from utvardering.figures.karta import plot_lan_map

__all__ = ["FARGER", "PALETT", "Figur", "new_figure", "plot_lan_map"]
