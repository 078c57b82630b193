"""Tests for mathlib.toydata: the worked examples' small data sets."""

import numpy as np
import pytest

from mathlib.toydata import least_squares_toy, three_gaussians, xor_data


def test_least_squares_toy_is_example_a():
    X, t, w0 = least_squares_toy()
    np.testing.assert_array_equal(X, [[1, 1], [3, 1], [5, 1], [7, 1]])
    np.testing.assert_array_equal(t, [1, 4, 4, 8])
    np.testing.assert_array_equal(w0, [1, 1])
    assert X.shape == (4, 2) and t.shape == (4,) and w0.shape == (2,)
    assert X.dtype == t.dtype == w0.dtype == np.float64


def test_least_squares_toy_returns_fresh_arrays():
    X, t, w0 = least_squares_toy()
    X[0, 0], t[0], w0[0] = 99, 99, 99
    X2, t2, w02 = least_squares_toy()
    assert X2[0, 0] == 1 and t2[0] == 1 and w02[0] == 1


def test_least_squares_toy_closed_form_and_step_size():
    X, t, w0 = least_squares_toy()
    # X^T X = [[1+9+25+49, 16], [16, 4]] = [[84, 16], [16, 4]]; X^T t = [1+12+20+56, 17] = [89, 17]
    np.testing.assert_array_equal(X.T @ X, [[84, 16], [16, 4]])
    np.testing.assert_array_equal(X.T @ t, [89, 17])
    # det = 84*4 - 16*16 = 80; w* = [[4, -16], [-16, 84]] @ [89, 17] / 80 = [84, 4] / 80
    w_star = np.linalg.solve(X.T @ X, X.T @ t)
    np.testing.assert_allclose(w_star, [1.05, 0.05], rtol=1e-12)
    # eta = 0.0229 sits just below the stability limit 2 / lambda_max = 2 / (44 + sqrt(1856))
    lam_max = np.linalg.eigvalsh(X.T @ X).max()
    np.testing.assert_allclose(lam_max, 44 + np.sqrt(1856), rtol=1e-12)
    assert 0.0229 < 2 / lam_max < 0.0230
    # and gradient descent from w0 with that step reaches w*
    w = w0.copy()
    for _ in range(5000):
        w = w - 0.0229 * (X.T @ (X @ w - t))
    np.testing.assert_allclose(w, w_star, atol=1e-6)


def test_three_gaussians_shapes_counts_and_determinism():
    X, y = three_gaussians(50, rng=np.random.default_rng(0))
    assert X.shape == (150, 2) and X.dtype == np.float64
    assert y.shape == (150,) and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), [50, 50, 50])
    X2, y2 = three_gaussians(50, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = three_gaussians(50, rng=np.random.default_rng(1))
    assert not np.array_equal(X, X3)
    assert not np.all(y[:50] == y[0])  # shuffled, not in class blocks


def test_three_gaussians_statistics_match_the_parameters():
    means = np.array([[0.0, 0.0], [5.0, 5.0], [-5.0, 5.0]])
    std = np.array([[0.5, 1.0], [1.0, 1.0], [2.0, 0.5]])
    X, y = three_gaussians(20_000, rng=np.random.default_rng(1), means=means, std=std)
    for k in range(3):
        # standard error of a mean of 20,000 draws with std <= 2 is <= 0.015
        np.testing.assert_allclose(X[y == k].mean(axis=0), means[k], atol=0.06)
        np.testing.assert_allclose(X[y == k].std(axis=0), std[k], rtol=0.03)


def test_three_gaussians_other_class_count():
    X, y = three_gaussians(3, rng=np.random.default_rng(0), means=[[0, 0], [1, 1]], std=0.1)
    assert X.shape == (6, 2)
    np.testing.assert_array_equal(np.bincount(y), [3, 3])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n_per_class": 0}, ValueError, "n_per_class must be a positive integer"),
        ({"n_per_class": 2.5}, TypeError, "n_per_class must be an integer"),
        ({"n_per_class": True}, TypeError, "n_per_class must be an integer"),
        ({"means": [1.0, 2.0]}, ValueError, "means must have 2 dimension"),
        ({"means": [[0, 0, 0]]}, ValueError, r"means must have shape \(K, 2\)"),
        ({"means": [[0, np.nan]]}, ValueError, "means must be finite"),
        ({"means": "abc"}, TypeError, "means must be an array of real numbers"),
        ({"std": 0.0}, ValueError, "std must be positive"),
        ({"std": -1.0}, ValueError, "std must be positive"),
        ({"std": [1.0, 2.0, 3.0, 4.0]}, ValueError, "std must be a scalar or broadcast"),
        ({"std": "0.5"}, TypeError, "std must be an array of real numbers"),
    ],
)
def test_three_gaussians_rejects_bad_input(kwargs, error, message):
    args = {"n_per_class": 5, "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(error, match=message):
        three_gaussians(**args)


def test_randomness_must_be_a_generator():
    with pytest.raises(TypeError, match="default_rng"):
        three_gaussians(5, rng=0)
    with pytest.raises(TypeError, match="default_rng"):
        xor_data(8, rng=np.random.RandomState(0))


def test_xor_data_labels_are_xor_of_signs():
    X, y = xor_data(400, rng=np.random.default_rng(0), noise=0.1)
    assert X.shape == (400, 2) and X.dtype == np.float64
    assert y.shape == (400,) and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), [200, 200])
    # with noise 0.1 no point crosses an axis (that would be a 10-sigma draw)
    np.testing.assert_array_equal(y, ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(np.int64))


def test_xor_data_defeats_a_linear_model():
    X, y = xor_data(1000, rng=np.random.default_rng(2))
    A = np.column_stack([X, np.ones(len(X))])  # (N, 3): inputs and bias
    w, *_ = np.linalg.lstsq(A, 2.0 * y - 1.0, rcond=None)
    accuracy = np.mean((A @ w > 0) == (y == 1))
    assert accuracy < 0.65  # a line does little better than guessing


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n": 3}, ValueError, "n must be an integer >= 4"),
    ({"n": 10.0}, TypeError, "n must be an integer"),
    ({"n": 8, "noise": 0.0}, ValueError, "noise must be > 0"),
    ({"n": 8, "noise": "0.3"}, TypeError, "noise must be a real number"),
])
def test_xor_data_rejects_bad_input(kwargs, error, message):
    args = {"rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(error, match=message):
        xor_data(**args)
