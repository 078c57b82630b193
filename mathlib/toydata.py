"""Tiny data sets that can be checked by eye: the book's worked examples before MNIST.

- ``least_squares_toy`` -- example A, four points fitted by a line with gradient descent
- ``three_gaussians``  -- example C, three 2-D Gaussian classes for a small two-layer net
- ``xor_data``         -- four clusters no straight line can separate (why hidden layers)

Randomness is always an argument: pass ``rng = np.random.default_rng(seed)``.
"""

from __future__ import annotations

import numpy as np

from mathlib.checks import as_float_array, check_int, check_number, check_rng

__all__ = ["least_squares_toy", "three_gaussians", "xor_data"]

# Example C's default classes: centres on a triangle, round clouds of std 0.5 that
# overlap a little, so a good classifier is near but not at 100% accuracy.
THREE_GAUSSIAN_MEANS = np.array([[-1.0, -0.5], [1.0, -0.5], [0.0, 1.2]])  # (K, 2)
THREE_GAUSSIAN_STD = 0.5


def least_squares_toy() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Example A, a "miniature MNIST": fit :math:`t \approx Xw` to four points.

    Loss :math:`L(w) = \tfrac12 \lVert Xw - t \rVert^2`, gradient
    :math:`\nabla L = X^\top (Xw - t)`, update :math:`w \leftarrow w - \eta \nabla L` with
    :math:`\eta = 0.0229`. The second column of ``X`` is the constant input for the bias.

    Returns
    -------
    X : (4, 2) float64, ``[[1, 1], [3, 1], [5, 1], [7, 1]]``
    t : (4,) float64, ``[1, 4, 4, 8]``
    w0 : (2,) float64, the starting weights ``[1, 1]``

    Notes
    -----
    :math:`X^\top X = [[84, 16], [16, 4]]` and :math:`X^\top t = [89, 17]`, so the normal
    equations give :math:`w^* = (1.05, 0.05)`. The eigenvalues of :math:`X^\top X` are
    :math:`44 \pm \sqrt{1856} \approx 87.08, 0.92`: gradient descent is stable for
    :math:`\eta < 2/87.08 \approx 0.02297`, just above 0.0229, and the ratio of about 95
    between them is why it needs thousands of steps. Fresh arrays on every call.
    """
    X = np.array([[1.0, 1.0], [3.0, 1.0], [5.0, 1.0], [7.0, 1.0]])  # (4, 2)
    t = np.array([1.0, 4.0, 4.0, 8.0])  # (4,)
    w0 = np.array([1.0, 1.0])  # (2,)
    return X, t, w0


def three_gaussians(
    n_per_class: int,
    *,
    rng: np.random.Generator,
    means: np.ndarray | None = None,
    std: float | np.ndarray = THREE_GAUSSIAN_STD,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Example C: K classes (3 by default), each a 2-D Gaussian cloud.

    Class :math:`k` draws :math:`x \sim \mathcal{N}(\mu_k, \mathrm{diag}(\sigma_k^2))`.
    Defaults: :math:`\mu = [(-1, -0.5), (1, -0.5), (0, 1.2)]` (a triangle) and
    :math:`\sigma = 0.5` on both axes for every class.

    Parameters
    ----------
    n_per_class : points per class (>= 1)
    rng : ``np.random.Generator``; the same seed gives the same data
    means : (K, 2) class centres; default ``THREE_GAUSSIAN_MEANS``
    std : standard deviation, a positive scalar or an array broadcastable to (K, 2)
        (per class, or per class and axis)

    Returns
    -------
    X : (N, 2) float64 with N = K * n_per_class, rows shuffled
    y : (N,) int64 class labels 0..K-1, exactly n_per_class of each
    """
    n = check_int(n_per_class, "n_per_class", minimum=1)
    rng = check_rng(rng)
    mu = THREE_GAUSSIAN_MEANS if means is None else as_float_array(means, "means", ndim=2)
    if mu.shape[0] < 1 or mu.shape[1] != 2:
        raise ValueError(f"means must have shape (K, 2) with K >= 1, got {mu.shape}")
    K = mu.shape[0]
    sigma = as_float_array(std, "std", finite=False)
    try:
        sigma = np.broadcast_to(sigma, (K, 2))  # (K, 2)
    except ValueError:
        raise ValueError(
            f"std must be a scalar or broadcast to (K, 2) = ({K}, 2), got shape {sigma.shape}"
        ) from None
    if not np.all(np.isfinite(sigma)) or np.any(sigma <= 0):
        raise ValueError(f"std must be positive and finite, got {std!r}")
    y = np.repeat(np.arange(K, dtype=np.int64), n)  # (N,)
    X = mu[y] + sigma[y] * rng.standard_normal((K * n, 2))  # (N, 2)
    order = rng.permutation(K * n)
    return X[order], y[order]


def xor_data(
    n: int, *, rng: np.random.Generator, noise: float = 0.3
) -> tuple[np.ndarray, np.ndarray]:
    r"""The XOR problem: four clusters at the corners :math:`(\pm1, \pm1)`.

    Label 1 where the signs of the two coordinates differ (corners :math:`(1, -1)` and
    :math:`(-1, 1)`), else 0. No line separates the classes, so a linear model is stuck at
    about 50% accuracy while one hidden layer solves it.

    Parameters
    ----------
    n : number of points (>= 4); the corners take turns, so each gets n // 4 or one more
    rng : ``np.random.Generator``
    noise : standard deviation of the Gaussian scatter around each corner (> 0)

    Returns
    -------
    X : (n, 2) float64, rows shuffled
    y : (n,) int64 in {0, 1}, the label of the corner each point was drawn around
    """
    n = check_int(n, "n", minimum=4)
    rng = check_rng(rng)
    noise = check_number(noise, "noise", low=0, low_open=True)
    corners = np.array([[-1.0, -1.0], [1.0, 1.0], [1.0, -1.0], [-1.0, 1.0]])  # (4, 2)
    corner_labels = np.array([0, 0, 1, 1], dtype=np.int64)  # XOR of "coordinate > 0"
    which = rng.permutation(np.arange(n) % 4)  # (n,) a corner per point, balanced
    X = corners[which] + noise * rng.standard_normal((n, 2))  # (n, 2)
    return X, corner_labels[which]
