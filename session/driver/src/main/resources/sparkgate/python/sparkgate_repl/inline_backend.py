"""A matplotlib backend for cells: figures render with Agg, and plt.show() sends them as image/png.

The driver sets MPLBACKEND=module://sparkgate_repl.inline_backend. Figures still open when a cell ends
are shown then (see publish.Publisher.show_open_figures), as in Jupyter's inline backend.
"""
from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends import backend_agg
from matplotlib.backends.backend_agg import FigureCanvasAgg

from . import publish

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase
new_figure_manager = backend_agg.new_figure_manager
new_figure_manager_given_figure = backend_agg.new_figure_manager_given_figure


def draw_if_interactive():
    pass


def show(*args, **kwargs):
    if publish.current is not None:
        publish.current.show_open_figures()
