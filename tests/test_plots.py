"""Plot helpers draw on the axes they are given, return them, and reject bad shapes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mathlib import plots  # noqa: E402


@pytest.fixture()
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_plot_image_accepts_flat_and_square(ax):
    assert plots.plot_image(ax, np.arange(784.0)) is ax
    assert ax.images[0].get_array().shape == (28, 28)
    with pytest.raises(ValueError, match="square"):
        plots.plot_image(ax, np.arange(10.0))


def test_plot_image_symmetric_limits_are_centred(ax):
    plots.plot_image(ax, np.array([[-1.0, 3.0], [0.5, 0.0]]), symmetric=True)
    assert ax.images[0].get_clim() == (-3.0, 3.0)


def test_digit_grid_hides_spare_axes():
    fig, axes = plt.subplots(2, 3)
    plots.plot_digit_grid(axes, np.zeros((4, 28, 28)), titles=list("abcd"))
    assert [a.axison for a in axes.ravel()] == [True] * 4 + [False] * 2
    with pytest.raises(ValueError, match="only 6 axes"):
        plots.plot_digit_grid(axes, np.zeros((7, 28, 28)))
    plt.close(fig)


def test_confusion_matrix_writes_every_count(ax):
    cm = np.array([[5, 1], [0, 7]])
    plots.plot_confusion_matrix(ax, cm)
    assert sorted(t.get_text() for t in ax.texts) == ["0", "1", "5", "7"]
    with pytest.raises(ValueError, match=r"\(K, K\)"):
        plots.plot_confusion_matrix(ax, np.zeros((2, 3)))


def test_curves_use_distinct_styles(ax):
    plots.plot_curves(ax, {"a": ([0, 1], [1, 0]), "b": ([0, 1], [0, 1])}, xlabel="x", ylabel="y")
    markers = {line.get_marker() for line in ax.lines}
    assert len(markers) == 2 and ax.get_legend() is not None


def test_contours_and_path(ax):
    cs = plots.plot_contours(ax, lambda a, b: a**2 + 10 * b**2 + 1e-3, (-1, 1), (-1, 1), log=True)
    assert len(cs.levels) > 5 and np.all(np.diff(cs.levels) > 0)
    line = plots.plot_path(ax, np.array([[1.0, 1.0], [0.5, 0.2], [0.0, 0.0]]))
    assert line.get_xydata().shape == (3, 2)
    with pytest.raises(ValueError, match=r"\(T, 2\)"):
        plots.plot_path(ax, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="must return shape"):
        plots.plot_contours(ax, lambda a, b: np.zeros(3), (0, 1), (0, 1))


def test_decision_regions_draw_one_contour_set_per_class(ax):
    def proba(points):
        z = np.column_stack([points[:, 0], -points[:, 0], points[:, 1]])
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    X = np.array([[0.0, 0.0], [1.0, 1.0], [-1.0, 0.5]])
    plots.plot_decision_regions(ax, proba, (-2, 2), (-2, 2), X=X, y=np.array([0, 1, 2]), n=40)
    assert len(ax.collections) >= 3
