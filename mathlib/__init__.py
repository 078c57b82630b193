"""mathlib: the tested NumPy implementation behind the book's chapters.

The chapters derive each piece by hand first and then import it from here.
Modules are small and named after the mathematics:

- ``activations`` -- sigmoid, tanh, ReLU, softmax, log-softmax and their backward passes
- ``losses``      -- cross-entropy (from logits and from probabilities), squared error
- ``gradcheck``   -- central-difference gradients and relative error
- ``init``        -- weight initialisers
- ``layers``, ``conv`` -- layers with ``forward``/``backward``; ``model`` stacks them
- ``optim``       -- SGD, momentum, RMSProp, Adam
- ``train``       -- the mini-batch training loop and evaluation
- ``data``, ``toydata`` -- MNIST (verified download, local files, offline sample) and toy sets
- ``plots``, ``widgets`` -- figure helpers, live sliders and their static twins
- ``exercises``   -- automatic checks for the chapters' coding exercises
"""

__version__ = "0.1.0"
