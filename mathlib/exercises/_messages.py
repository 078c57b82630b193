"""Every message the exercise checks show a learner, in every language of the book.

The checks never hold learner-facing text themselves: they call :func:`msg` with a key of
:data:`MESSAGES`, and :func:`msg` picks the text for the language set by
:func:`mathlib.i18n.use_language` ("en" in ``chapters/``, "ja" in ``ja/chapters/``) and fills
its ``{placeholders}`` with ``str.format``. Case descriptions and the names of checked values
(the ``what`` of :class:`~mathlib.exercises.Checker`) are messages too, so a Japanese learner
reads no English sentence.

Keys are ``"<topic module>.<name>"``; every entry has the same placeholders in every language
(``tests/test_exercise_messages.py`` checks it, and that no Japanese entry is left in English).
In Japanese, code names, shapes, numbers and formulas stay as they are, in backticks where they
stand in a sentence; terms follow ``ja/glossary.yml``.
"""

from __future__ import annotations

from string import Formatter

from mathlib.i18n import language

__all__ = ["MESSAGES", "msg", "placeholders"]

#: key -> {language code -> text with ``str.format`` placeholders}.
MESSAGES: dict[str, dict[str, str]] = {
    # --- _core: the verdict and the generic messages of Checker ---------------------------------
    "core.passed": {
        "en": "PASSED {exercise}: all {checks_run} checks passed. Well done!",
        "ja": "合格 {exercise}：{checks_run} 項目のチェックをすべて通過しました。よくできました！",
    },
    "core.not_yet": {
        "en": "NOT YET {exercise}: {count} problem(s) found.",
        "ja": "もう一歩 {exercise}：問題が {count} 件見つかりました。",
    },
    "core.where": {
        "en": "On {case}: ",
        "ja": "「{case}」の場合：",
    },
    "core.unreadable": {
        "en": "the result could not be checked ({error}: {detail}); compare its type and shape "
              "with the docstring.",
        "ja": "結果を確認できませんでした（{error}: {detail}）。結果の型と形状を、関数の説明文に"
              "書かれたものと比べてください。",
    },
    "core.not_function": {
        "en": "{exercise} must be a function: pass the function itself (without parentheses), "
              "not the result of calling it; got {got}",
        "ja": "{exercise} には関数を渡してください。関数を呼び出した結果ではなく、括弧を付けずに"
              "関数そのものを渡します（渡されたのは {got}）",
    },
    "core.ragged": {
        "en": "{what} should be an array of numbers, but it is a ragged {kind} (rows of "
              "different lengths).",
        "ja": "{what}は数値の配列であるべきですが、行ごとに長さの違う {kind} になっています。",
    },
    "core.not_numbers": {
        "en": "{what} should be an array of numbers, but it is {got}.",
        "ja": "{what}は数値の配列であるべきですが、{got} になっています。",
    },
    "core.your_function": {
        "en": "your function",
        "ja": "あなたの関数",
    },
    "core.not_implemented": {
        "en": "`{name}` it still raises NotImplementedError. Replace the `raise "
              "NotImplementedError()` line with your code, run that cell, then run this check "
              "again.",
        "ja": "`{name}` はまだ `NotImplementedError` を送出しています。`raise "
              "NotImplementedError()` の行をあなたのコードに置き換えてそのセルを実行し、もう一度"
              "このチェックを実行してください。",
    },
    "core.raised": {
        "en": "`{name}` raised {error}: {detail}",
        "ja": "`{name}` の実行中に例外 {error} が発生しました：{detail}",
    },
    "core.numpy_warned": {
        "en": "NumPy warned '{warning}' inside your function: {hint}",
        "ja": "あなたの関数の中で NumPy が警告「{warning}」を出しました。{hint}",
    },
    "core.shape_ragged": {
        "en": "{what} should have shape {shape}, but it is a ragged {kind} (rows of different "
              "lengths).",
        "ja": "{what}の形状は {shape} であるべきですが、行ごとに長さの違う {kind} になっています。",
    },
    "core.shape": {
        "en": "{what} should have shape {shape}, but it has shape {got}.",
        "ja": "{what}の形状は {shape} であるべきですが、{got} になっています。",
    },
    "core.not_finite": {
        "en": "{what} contains {value} at index {index}: look for an exp() or a division that "
              "overflows, and compute in a numerically stable way.",
        "ja": "{what}のインデックス {index} の値が {value} です。オーバーフローする `exp()` や"
              "割り算がないか探し、数値的に安定な方法で計算してください。",
    },
    "core.at_index": {
        "en": " at index {index}",
        "ja": "インデックス {index} で",
    },
    "core.off": {
        "en": "{what} is off{at}: you have {got:.6g}.",
        "ja": "{what}が{at}ずれています。あなたの値は {got:.6g} です。",
    },
    "core.off_expected": {
        "en": "{what} is off{at}: you have {got:.6g}, expected {expected:.6g}.",
        "ja": "{what}が{at}ずれています。あなたの値は {got:.6g}、正しい値は {expected:.6g} です。",
    },
    "core.grad_shape": {
        "en": "{what} should have the shape of its parameter, {shape}, not {got}.",
        "ja": "{what}の形状は対応するパラメータと同じ {shape} であるべきですが、{got} になって"
              "います。",
    },
    "core.grad_mismatch": {
        "en": "{what} does not match the numerical gradient: relative error {rel:.1e}{at} (pass "
              "mark {tol:.0e}). Check the chain rule for that entry.",
        "ja": "{what}が数値勾配と一致しません。{at}相対誤差が {rel:.1e} です（合格基準は "
              "{tol:.0e}）。その要素について連鎖律を確かめてください。",
    },
    "core.the_result": {
        "en": "the result",
        "ja": "結果",
    },
    # --- descent_1d (chapter 0) ------------------------------------------------------------------
    "descent_1d.path": {
        "en": "the path",
        "ja": "経路",
    },
    "descent_1d.path_updates": {
        "en": "the path (w0 first, then one entry per update)",
        "ja": "経路（先頭が `w0`、続いて更新ごとに 1 要素）",
    },
    "descent_1d.path_steps": {
        "en": "the path (w0 first, then one entry per step)",
        "ja": "経路（先頭が `w0`、続いてステップごとに 1 要素）",
    },
    "descent_1d.path_first": {
        "en": "the first entry of the path (it is w0)",
        "ja": "経路の最初の要素（`w0` のはずです）",
    },
    "descent_1d.not_1d": {
        "en": "the path should be a 1-D array (one entry per iterate), but it has shape {shape}.",
        "ja": "経路は 1 次元配列（反復ごとに 1 要素）であるべきですが、形状が {shape} になって"
              "います。",
    },
    "descent_1d.first_is_w0": {
        "en": "the first entry of the path should be w0 itself.",
        "ja": "経路の最初の要素は `w0` そのものであるべきです。",
    },
    "descent_1d.stopped_at_w0": {
        "en": "your loop stopped at w0, although |L'(w0)| = {slope:g} is not below tol. The rule "
              "compares the size of the derivative; a derivative can be negative.",
        "ja": "`|L'(w0)| = {slope:g}` は `tol` より小さくないのに、ループが `w0` で止まっています。"
              "停止の規則が比べるのは微分の大きさ（絶対値）です。微分は負にもなります。",
    },
    "descent_1d.one_too_many": {
        "en": "your path has one entry too many: once an iterate satisfies the rule, return "
              "without stepping again.",
        "ja": "経路の要素が 1 つ多すぎます。反復点が停止の規則を満たしたら、もう一歩進まずに"
              "返してください。",
    },
    "descent_1d.one_short": {
        "en": "your path is one entry short: it must end with the iterate that satisfies the rule "
              "(or with the last update, if the budget ran out), and start with w0.",
        "ja": "経路の要素が 1 つ足りません。経路は `w0` で始まり、停止の規則を満たす反復点（上限"
              "回数に達した場合は最後の更新）で終わる必要があります。",
    },
    "descent_1d.budget": {
        "en": "the loop called grad more than {limit} times; it must stop after max_steps = "
              "{max_steps} updates.",
        "ja": "ループが `grad` を {limit} 回より多く呼び出しました。`max_steps = {max_steps}` 回の"
              "更新の後には止まる必要があります。",
    },
    "descent_1d.case.left": {
        "en": "the parabola L(w) = (w - 3)^2 / 2 from w0 = 0 (left of the minimum), eta = 0.5, "
              "tol = 1e-3",
        "ja": "放物線 `L(w) = (w - 3)^2 / 2` を `w0 = 0`（最小点の左側）から、`eta = 0.5`、"
              "`tol = 1e-3`",
    },
    "descent_1d.case.right": {
        "en": "the same parabola from w0 = 7.5 (right of the minimum), eta = 0.3, tol = 1e-6",
        "ja": "同じ放物線を `w0 = 7.5`（最小点の右側）から、`eta = 0.3`、`tol = 1e-6`",
    },
    "descent_1d.case.steep": {
        "en": "a steep parabola L(w) = 2 (w + 1)^2 from w0 = 2, eta = 0.1, tol = 1e-8",
        "ja": "急な放物線 `L(w) = 2 (w + 1)^2` を `w0 = 2` から、`eta = 0.1`、`tol = 1e-8`",
    },
    "descent_1d.case.logcosh": {
        "en": "L(w) = log cosh(w - 1) from w0 = 3, eta = 1, tol = 1e-10",
        "ja": "`L(w) = log cosh(w - 1)` を `w0 = 3` から、`eta = 1`、`tol = 1e-10`",
    },
    "descent_1d.case.at_minimum": {
        "en": "a start at the minimum (w0 = 3): no update is needed",
        "ja": "最小点からの出発（`w0 = 3`、更新は不要）",
    },
    "descent_1d.case.budget_small_eta": {
        "en": "a small learning rate (eta = 0.01) whose budget of max_steps = 50 runs out first",
        "ja": "小さな学習率（`eta = 0.01`）で、先に上限 `max_steps = 50` に達するもの",
    },
    "descent_1d.case.budget_diverges": {
        "en": "a learning rate above the threshold (eta = 2.5): only max_steps = 15 stops it",
        "ja": "しきい値を超える学習率（`eta = 2.5`）で、`max_steps = 15` でしか止まらないもの",
    },
    "descent_1d.newton_parabola": {
        "en": "the parabola L(w) = (w + 1)^2 from w0 = 4, 2 steps",
        "ja": "放物線 `L(w) = (w + 1)^2` を `w0 = 4` から 2 ステップ",
    },
    "descent_1d.newton_uphill": {
        "en": "your first step goes uphill, away from the minimum at -1.",
        "ja": "最初のステップが坂を上り、最小点 -1 から遠ざかっています。",
    },
    "descent_1d.newton_one_step": {
        "en": "on a parabola the local quadratic model is the loss itself, so one step must land "
              "exactly on the minimum w = -1; yours lands at {landed:.6g}. Find the minimum of "
              "the model L(w_k) + L'(w_k) d + L''(w_k) d^2 / 2 over the step d.",
        "ja": "放物線では局所的な二次モデルが損失関数そのものなので、1 ステップでちょうど最小点 "
              "`w = -1` に着くはずですが、あなたの結果は {landed:.6g} です。モデル "
              "`L(w_k) + L'(w_k) d + L''(w_k) d^2 / 2` を最小にするステップ `d` を求めてください。",
    },
    "descent_1d.case.newton_exp": {
        "en": "L(w) = exp(w) - 2 w from w0 = 0, 5 steps (the minimum is at log 2)",
        "ja": "`L(w) = exp(w) - 2 w` を `w0 = 0` から 5 ステップ（最小点は `log 2`）",
    },
    "descent_1d.case.newton_logcosh": {
        "en": "L(w) = log cosh(w - 1) from w0 = 1.5, 4 steps",
        "ja": "`L(w) = log cosh(w - 1)` を `w0 = 1.5` から 4 ステップ",
    },
    "descent_1d.case.newton_zero": {
        "en": "zero steps (the path is just w0)",
        "ja": "0 ステップ（経路は `w0` だけ）",
    },
    # --- least_squares (chapter 1) ---------------------------------------------------------------
    "least_squares.case.chapter": {
        "en": "the chapter's four points at w = [1, 1] with delta = 1.5 (one residual, 2, beyond "
              "delta)",
        "ja": "章の 4 点で `w = [1, 1]`、`delta = 1.5`（残差の 1 つ、2 が `delta` を超える）",
    },
    "least_squares.case.outlier": {
        "en": "the four points with an outlier target t_4 = 20, at w = [1, 0.5], delta = 1 (a "
              "residual far below -delta)",
        "ja": "外れ値の目標値 `t_4 = 20` を含む 4 点で `w = [1, 0.5]`、`delta = 1`（残差の 1 つが "
              "`-delta` を大きく下回る）",
    },
    "least_squares.case.inside": {
        "en": "the four points at w = [1.05, 0.05] with delta = 10 (every residual inside delta)",
        "ja": "4 点で `w = [1.05, 0.05]`、`delta = 10`（すべての残差が `delta` の内側）",
    },
    "least_squares.case.random": {
        "en": "random data with N = {N} points, D = {D} weights, delta = {delta}",
        "ja": "ランダムなデータ（`N = {N}` 点、重み `D = {D}` 個、`delta = {delta}`）",
    },
    "least_squares.slip_least_squares": {
        "en": "your gradient is the least-squares gradient X^T r. The Huber loss grows only "
              "linearly for residuals with |r_n| > delta: what is the derivative of its linear "
              "part?",
        "ja": "あなたの勾配は最小二乗の勾配 `X^T r` です。Huber 損失は `|r_n| > delta` の残差に"
              "対して線形にしか増えません。その線形の部分の微分は何でしょうか。",
    },
    "least_squares.slip_one_sided": {
        "en": "residuals above delta are handled, but residuals below -delta must be limited too "
              "(the loss is symmetric in r).",
        "ja": "`delta` を超える残差は扱えていますが、`-delta` を下回る残差も同じように制限する"
              "必要があります（損失関数は `r` について対称です）。",
    },
    "least_squares.slip_all_outliers": {
        "en": "every residual is treated as an outlier; residuals with |r_n| <= delta contribute "
              "as in least squares.",
        "ja": "すべての残差が外れ値として扱われています。`|r_n| <= delta` の残差は最小二乗と同じ"
              "ように寄与します。",
    },
    "least_squares.gradient": {
        "en": "the gradient",
        "ja": "勾配",
    },
    "least_squares.huber_inputs_changed": {
        "en": "your function changed one of its inputs X, w or t; compute in new arrays.",
        "ja": "あなたの関数が入力 `X`、`w`、`t` のどれかを書き換えました。新しい配列で計算して"
              "ください。",
    },
    "least_squares.gradient_per_weight": {
        "en": "the gradient (one entry per weight, like w)",
        "ja": "勾配（`w` と同じく重みごとに 1 要素）",
    },
    "least_squares.case.exact_fit": {
        "en": "a point w where the line fits exactly (the gradient must vanish)",
        "ja": "直線がぴったり当てはまる点 `w`（勾配は 0 になるはず）",
    },
    "least_squares.gradient_exact_fit": {
        "en": "the gradient at an exact fit",
        "ja": "ぴったり当てはまる点での勾配",
    },
    "least_squares.case.line_chapter": {
        "en": "the chapter's loss (A = X^T X, b = X^T t) from w0 = [1, 1], 6 steps",
        "ja": "章の損失関数（`A = X^T X`、`b = X^T t`）を `w0 = [1, 1]` から 6 ステップ",
    },
    "least_squares.case.line_one_weight": {
        "en": "one weight: L(w) = 2 w^2 - 2 w (A = [[4]], b = [2]) from w0 = [3], 2 steps",
        "ja": "重みが 1 つの `L(w) = 2 w^2 - 2 w`（`A = [[4]]`、`b = [2]`）を `w0 = [3]` から "
              "2 ステップ",
    },
    "least_squares.case.line_bowl": {
        "en": "a 3-D bowl with a random symmetric positive definite A, 5 steps",
        "ja": "ランダムな対称正定値行列 `A` で決まる 3 次元のお椀形、5 ステップ",
    },
    "least_squares.case.line_at_minimum": {
        "en": "a start exactly at the minimum (A = diag(2, 5), b = [2, 5], w0 = [1, 1]): the "
              "gradient is zero, the path must stay there",
        "ja": "ちょうど最小点からの出発（`A = diag(2, 5)`、`b = [2, 5]`、`w0 = [1, 1]`。勾配が "
              "0 なので、経路はそこにとどまるはず）",
    },
    "least_squares.path": {
        "en": "the path",
        "ja": "経路",
    },
    "least_squares.line_inputs_changed": {
        "en": "your function changed A, b or w0 in place; copy w0 before updating it.",
        "ja": "あなたの関数が `A`、`b`、`w0` のどれかをその場で書き換えました。更新する前に `w0` "
              "をコピーしてください。",
    },
    "least_squares.path_rows": {
        "en": "the path (w0 in the first row, then one row per step)",
        "ja": "経路（1 行目が `w0`、続いてステップごとに 1 行）",
    },
    "least_squares.path_finite": {
        "en": "the path (where the gradient is 0, stay where you are: 0 / 0 is not a step size)",
        "ja": "経路（勾配が 0 の点ではその場にとどまってください。0 / 0 はステップ幅になりません）",
    },
    "least_squares.path_first_row": {
        "en": "the first row of the path (it is w0)",
        "ja": "経路の 1 行目（`w0` のはずです）",
    },
    "least_squares.not_orthogonal": {
        "en": "after your first step the new gradient is not orthogonal to the old one (cosine "
              "{cosine:+.3f}). At the best point on the line w - eta g the loss stops decreasing "
              "along g, so g_new . g = 0: {verdict}.",
        "ja": "最初のステップの後の新しい勾配が、元の勾配と直交していません（コサイン "
              "{cosine:+.3f}）。直線 `w - eta g` 上の最良の点では `g` の方向に損失がそれ以上"
              "減らないので、`g_new . g = 0` となります。あなたの{verdict}。",
    },
    "least_squares.too_short": {
        "en": "your step is too short",
        "ja": "ステップは短すぎます",
    },
    "least_squares.overshoots": {
        "en": "your step overshoots",
        "ja": "ステップは行き過ぎています",
    },
    # --- softmax (chapter 2) ---------------------------------------------------------------------
    "softmax.overflow_hint": {
        "en": "some exponential overflows or a division is 0/0. Use the shift invariance of "
              "softmax, with a shift that suits the classes that are allowed.",
        "ja": "指数関数がオーバーフローしているか、0/0 の割り算が起きています。ソフトマックスの"
              "シフト不変性を、許可されたクラスに合ったシフト量で使ってください。",
    },
    "softmax.case.small": {
        "en": "two rows of small scores, every class allowed",
        "ja": "小さなスコアの 2 行、すべてのクラスを許可",
    },
    "softmax.case.masked_batch": {
        "en": "a batch of 4 random rows with K = 5 and some classes masked",
        "ja": "`K = 5` のランダムな 4 行のバッチ、いくつかのクラスをマスク",
    },
    "softmax.case.odd_digits": {
        "en": "ten digit scores where only the odd digits are allowed",
        "ja": "10 個の数字のスコアで、奇数の数字だけを許可",
    },
    "softmax.case.masked_far_above": {
        "en": "a masked class whose score (1000) is far above every allowed one",
        "ja": "マスクされたクラスのスコア（1000）が、許可されたどのクラスのスコアよりもはるかに"
              "大きいもの",
    },
    "softmax.case.huge_logits": {
        "en": "huge logits (around +-1000) on allowed classes",
        "ja": "許可されたクラスに巨大なロジット（+-1000 前後）",
    },
    "softmax.case.single_allowed": {
        "en": "rows with a single allowed class",
        "ja": "許可されたクラスが 1 つだけの行",
    },
    "softmax.masked_changed": {
        "en": "your function changed Z or mask in place; work on new arrays.",
        "ja": "あなたの関数が `Z` か `mask` をその場で書き換えました。新しい配列で計算して"
              "ください。",
    },
    "softmax.P_per_entry": {
        "en": "P (one probability per entry of Z)",
        "ja": "`P`（`Z` の要素ごとに 1 つの確率）",
    },
    "softmax.masked_nonzero": {
        "en": "a masked class gets probability {worst:.3g}; it must get exactly 0 (the class is "
              "impossible, not just unlikely).",
        "ja": "マスクされたクラスに確率 {worst:.3g} が割り当てられています。ちょうど 0 でなければ"
              "なりません（そのクラスは起こりにくいのではなく、起こりえないのです）。",
    },
    "softmax.masked_rows_sum": {
        "en": "the rows of P do not sum to 1: the probability of the masked classes has to go to "
              "the allowed ones.",
        "ja": "`P` の各行の和が 1 になっていません。マスクされたクラスの分の確率は、許可された"
              "クラスに回す必要があります。",
    },
    "softmax.case.shift": {
        "en": "shift invariance: the same row plus 500 (allowed classes only matter)",
        "ja": "シフト不変性（同じ行に 500 を足したもの。効くのは許可されたクラスだけ）",
    },
    "softmax.shifted": {
        "en": "the shifted probabilities (they should not change)",
        "ja": "シフト後の確率（変わらないはずです）",
    },
    "softmax.case.equal": {
        "en": "equal scores z = [0, 0, 0, 0]",
        "ja": "等しいスコア `z = [0, 0, 0, 0]`",
    },
    "softmax.case.random": {
        "en": "random scores with K = {K}",
        "ja": "`K = {K}` のランダムなスコア",
    },
    "softmax.case.two_classes": {
        "en": "two classes, z = [0.5, -1.5]",
        "ja": "2 クラス、`z = [0.5, -1.5]`",
    },
    "softmax.case.large_800": {
        "en": "large logits around 800",
        "ja": "800 前後の大きなロジット",
    },
    "softmax.case.far_below": {
        "en": "one score far below the others, z = [0, -1000, 2]",
        "ja": "1 つのスコアが他よりはるかに小さい `z = [0, -1000, 2]`",
    },
    "softmax.z_changed": {
        "en": "your function changed z in place.",
        "ja": "あなたの関数が `z` をその場で書き換えました。",
    },
    "softmax.J_shape": {
        "en": "J (rows: outputs log p_i, columns: scores z_j)",
        "ja": "`J`（行は出力 `log p_i`、列はスコア `z_j`）",
    },
    "softmax.J_swapped": {
        "en": "rows and columns are swapped: row i must hold the derivatives of log p_i with "
              "respect to z_1, ..., z_K.",
        "ja": "行と列が入れ替わっています。第 `i` 行には、`log p_i` の `z_1, ..., z_K` に"
              "ついての微分が入ります。",
    },
    "softmax.J_of_p": {
        "en": "this is the Jacobian of p, not of log p: apply the chain rule to the logarithm.",
        "ja": "これは `log p` ではなく `p` のヤコビ行列です。対数にも連鎖律を適用してください。",
    },
    "softmax.case.far_ahead": {
        "en": "z = [1, 2, 3] (one score far ahead)",
        "ja": "`z = [1, 2, 3]`（1 つのスコアが大きく先行）",
    },
    "softmax.case.close": {
        "en": "close scores z = [0.1, 0.2, 0.3] (every class stays)",
        "ja": "近いスコア `z = [0.1, 0.2, 0.3]`（すべてのクラスが残る）",
    },
    "softmax.case.unsorted": {
        "en": "unsorted scores z = [0.9, 3, -2, 1, 2.5]",
        "ja": "大きさの順に並んでいないスコア `z = [0.9, 3, -2, 1, 2.5]`",
    },
    "softmax.case.tie": {
        "en": "a tie for the lead, z = [2, 2, 0]",
        "ja": "先頭が同点の `z = [2, 2, 0]`",
    },
    "softmax.case.single": {
        "en": "a single class, z = [-7]",
        "ja": "クラスが 1 つだけの `z = [-7]`",
    },
    "softmax.case.large_scores": {
        "en": "large scores z = [1000.3, 1000.1, 999]",
        "ja": "大きなスコア `z = [1000.3, 1000.1, 999]`",
    },
    "softmax.sparsemax_hint": {
        "en": "avoid 0 / 0 and overflow; sparsemax needs no exponential.",
        "ja": "0 / 0 とオーバーフローを避けてください。`sparsemax` に指数関数は要りません。",
    },
    "softmax.z_changed_sort": {
        "en": "your function changed z in place (np.sort returns a copy; .sort() does not).",
        "ja": "あなたの関数が `z` をその場で書き換えました（`np.sort` はコピーを返しますが、"
              "`.sort()` は元の配列を並べ替えます）。",
    },
    "softmax.p_per_score": {
        "en": "p (one probability per score)",
        "ja": "`p`（スコアごとに 1 つの確率）",
    },
    "softmax.p_negative": {
        "en": "p has a negative entry ({minimum:.3g}): every probability is at least 0, so the "
              "scores below the threshold must be cut to exactly 0, and the threshold chosen for "
              "the entries that stay.",
        "ja": "`p` に負の要素（{minimum:.3g}）があります。確率はどれも 0 以上なので、しきい値より"
              "下のスコアはちょうど 0 に切り捨て、しきい値は残る要素に合わせて選ぶ必要があります。",
    },
    "softmax.p_sum": {
        "en": "p sums to {total:.6g}, not 1.",
        "ja": "`p` の和が 1 ではなく {total:.6g} です。",
    },
    "softmax.p_sorted": {
        "en": "your p is sorted from largest to smallest: it must follow the order of the scores "
              "z.",
        "ja": "あなたの `p` は大きい順に並べ替えられています。`p` の並びはスコア `z` の順に従う"
              "必要があります。",
    },
    "softmax.p_zeros": {
        "en": "p has the wrong set of exact zeros: a class is cut to 0 exactly when its score is "
              "at or below the threshold.",
        "ja": "`p` のちょうど 0 になる要素が違います。クラスが 0 に切り捨てられるのは、その"
              "スコアがしきい値以下のときだけです。",
    },
    # --- cross_entropy (chapter 3) ---------------------------------------------------------------
    "cross_entropy.overflow_hint": {
        "en": "an exponential overflows or a log of 0 is taken. Work with log-probabilities from "
              "the logits.",
        "ja": "指数関数がオーバーフローしているか、0 の対数を取っています。ロジットから直接、"
              "対数確率を計算してください。",
    },
    "cross_entropy.Z_changed": {
        "en": "your function changed Z in place; compute into new arrays.",
        "ja": "あなたの関数が `Z` をその場で書き換えました。結果は新しい配列に入れてください。",
    },
    "cross_entropy.zt_changed": {
        "en": "your function changed z or t in place; compute into new arrays.",
        "ja": "あなたの関数が `z` か `t` をその場で書き換えました。結果は新しい配列に入れて"
              "ください。",
    },
    "cross_entropy.Zya_changed": {
        "en": "your function changed Z, y or class_weights in place; compute into new arrays.",
        "ja": "あなたの関数が `Z`、`y`、`class_weights` のどれかをその場で書き換えました。結果は"
              "新しい配列に入れてください。",
    },
    "cross_entropy.case.small": {
        "en": "two rows of small logits, labels [2, 0]",
        "ja": "小さなロジットの 2 行、ラベル [2, 0]",
    },
    "cross_entropy.case.uniform": {
        "en": "uniform logits (every loss is log K) with K = 4",
        "ja": "一様なロジット（どの損失も `log K`）、`K = 4`",
    },
    "cross_entropy.case.batch": {
        "en": "a batch of 6 random rows with K = 5",
        "ja": "`K = 5` のランダムな 6 行のバッチ",
    },
    "cross_entropy.case.plus_1000": {
        "en": "logits around +1000",
        "ja": "+1000 前後のロジット",
    },
    "cross_entropy.case.minus_1000": {
        "en": "logits around -1000",
        "ja": "-1000 前後のロジット",
    },
    "cross_entropy.case.rival_800": {
        "en": "a true class 800 below its rival",
        "ja": "正解クラスのロジットが対抗するクラスより 800 小さいもの",
    },
    "cross_entropy.losses": {
        "en": "the losses",
        "ja": "損失",
    },
    "cross_entropy.losses_per_row": {
        "en": "the losses (one per row of Z)",
        "ja": "損失（`Z` の行ごとに 1 つ）",
    },
    "cross_entropy.negative": {
        "en": "a loss is negative; -log p is never below 0 (check the sign).",
        "ja": "損失が負になっています。`-log p` が 0 を下回ることはありません（符号を確かめて"
              "ください）。",
    },
    "cross_entropy.case.bce_hard": {
        "en": "small scores with hard targets, z = [-1, 0, 2], t = [0, 1, 1]",
        "ja": "小さなスコアと 0 か 1 の目標値、`z = [-1, 0, 2]`、`t = [0, 1, 1]`",
    },
    "cross_entropy.case.bce_soft": {
        "en": "soft targets, z = [0.5, -2, 3], t = [0.3, 0.9, 0.5]",
        "ja": "0 と 1 の間の目標値、`z = [0.5, -2, 3]`、`t = [0.3, 0.9, 0.5]`",
    },
    "cross_entropy.case.bce_40": {
        "en": "a confident right answer and a confident mistake, z = [40, 40], t = [1, 0] (in "
              "float64, sigmoid(40) rounds to exactly 1)",
        "ja": "自信をもった正解と自信をもった間違い、`z = [40, 40]`、`t = [1, 0]`（`float64` "
              "では `sigmoid(40)` がちょうど 1 に丸められます）",
    },
    "cross_entropy.case.bce_1000": {
        "en": "scores of size 1000, z = [1000, -1000, 1000, -1000], t = [0, 1, 1, 0]",
        "ja": "大きさ 1000 のスコア、`z = [1000, -1000, 1000, -1000]`、`t = [0, 1, 1, 0]`",
    },
    "cross_entropy.case.bce_800": {
        "en": "a confident mistake with a negative score, z = [-800], t = [1]",
        "ja": "負のスコアでの自信をもった間違い、`z = [-800]`、`t = [1]`",
    },
    "cross_entropy.bce_opposite": {
        "en": "your losses are those of the opposite targets: the term -log sigmoid(z) belongs to "
              "t = 1 (a large positive z should cost little when t = 1).",
        "ja": "あなたの損失は目標値を逆にしたときのものです。項 `-log sigmoid(z)` は `t = 1` に"
              "対応します（`t = 1` のとき、大きな正の `z` の損失は小さいはずです）。",
    },
    "cross_entropy.bce_sign": {
        "en": "your losses have the wrong sign: -log p is never below 0.",
        "ja": "損失の符号が逆です。`-log p` が 0 を下回ることはありません。",
    },
    "cross_entropy.bce_hint": {
        "en": "an exponential overflows or a log of 0 is taken. Write -log sigmoid(z) and "
              "-log(1 - sigmoid(z)) as functions of z that never exponentiate a large positive "
              "number.",
        "ja": "指数関数がオーバーフローしているか、0 の対数を取っています。`-log sigmoid(z)` と "
              "`-log(1 - sigmoid(z))` を、大きな正の数の指数を決して取らない `z` の関数として"
              "書いてください。",
    },
    "cross_entropy.losses_per_score": {
        "en": "the losses (one per score)",
        "ja": "損失（スコアごとに 1 つ）",
    },
    "cross_entropy.case.bce_derivative": {
        "en": "the derivative: central differences of your loss at z = [-3, 0.5, 6], t = [1, 0.2, "
              "0] must equal sigmoid(z) - t",
        "ja": "微分の確認（`z = [-3, 0.5, 6]`、`t = [1, 0.2, 0]` でのあなたの損失の中心差分が "
              "`sigmoid(z) - t` に等しいこと）",
    },
    "cross_entropy.bce_derivative": {
        "en": "the derivative of your loss (by central differences)",
        "ja": "あなたの損失の微分（中心差分による）",
    },
    "cross_entropy.case.equal_weights": {
        "en": "equal weights a = [1, 1, 1] (the plain mean), 4 rows",
        "ja": "等しいクラスの重み `a = [1, 1, 1]`（ふつうの平均）、4 行",
    },
    "cross_entropy.case.weights": {
        "en": "weights a = [1, 5, 0.5] and 6 rows",
        "ja": "クラスの重み `a = [1, 5, 0.5]`、6 行",
    },
    "cross_entropy.case.zero_weight": {
        "en": "a class with weight 0, a = [0, 2, 1, 1], 5 rows",
        "ja": "重みが 0 のクラスを含む `a = [0, 2, 1, 1]`、5 行",
    },
    "cross_entropy.case.weighted_1000": {
        "en": "logits around +-1000, a = [3, 1]",
        "ja": "+-1000 前後のロジット、`a = [3, 1]`",
    },
    "cross_entropy.weighted_by_N": {
        "en": "the weighted mean divides by the sum of the weights of the batch's labels, not by "
              "N.",
        "ja": "重み付き平均で割るのは `N` ではなく、バッチのラベルの重みの和です。",
    },
    "cross_entropy.unweighted": {
        "en": "your gradient is the unweighted one: each row needs the weight of its label.",
        "ja": "あなたの勾配は重みを付けない場合のものです。各行にそのラベルの重みが必要です。",
    },
    "cross_entropy.by_column": {
        "en": "you weighted each column by its class; each row n is weighted by the weight of its "
              "own label y_n.",
        "ja": "各列をそのクラスの重みで重み付けしています。重み付けは行ごとで、行 `n` には"
              "そのラベル `y_n` の重みを使います。",
    },
    "cross_entropy.dZ_shape": {
        "en": "dZ (the shape of Z)",
        "ja": "`dZ`（`Z` と同じ形状）",
    },
    "cross_entropy.dZ_rows": {
        "en": "the rows of dZ do not sum to 0; each row is a weight times (probabilities - "
              "one-hot target), and both sum to 1.",
        "ja": "`dZ` の各行の和が 0 になっていません。各行は重み ×（確率 − one-hot の目標値）で、"
              "確率と目標値はどちらも和が 1 です。",
    },
    # --- optimizers (chapter 4) ------------------------------------------------------------------
    "optimizers.pair": {
        "en": "the function should return a tuple of 2 arrays ({names}), got {got}",
        "ja": "関数は 2 つの配列のタプル（{names}）を返す必要がありますが、返されたのは {got} "
              "です",
    },
    "optimizers.old_velocity": {
        "en": "theta_new should move by the new velocity v_new, not by the old v.",
        "ja": "`theta_new` は古い `v` ではなく、新しい速度 `v_new` の分だけ動く必要があります。",
    },
    "optimizers.heavy_ball": {
        "en": "that is the heavy-ball step of the chapter: Nesterov's method evaluates the "
              "gradient at the look-ahead point theta + momentum * v, not at theta.",
        "ja": "これは章で扱ったモーメンタム法（ヘビーボール法）のステップです。Nesterov の方法"
              "では、勾配を `theta` ではなく先読みした点 `theta + momentum * v` で評価します。",
    },
    "optimizers.backward_look": {
        "en": "your look-ahead point goes the wrong way: the velocity is added to theta, so the "
              "ball looks ahead to theta + momentum * v.",
        "ja": "先読みの点が逆向きです。速度は `theta` に足されるので、ボールが先読みするのは "
              "`theta + momentum * v` です。",
    },
    "optimizers.no_look_ahead": {
        "en": "your function never asked `grad` for the gradient at theta + momentum * v, the "
              "look-ahead point.",
        "ja": "あなたの関数は、先読みの点 `theta + momentum * v` での勾配を一度も `grad` に"
              "求めていません。",
    },
    "optimizers.case.first_step": {
        "en": "the first step (v = 0) on L = theta^2 (grad 2 theta): theta = [1], eta = 0.1, "
              "mu = 0.9",
        "ja": "`L = theta^2`（勾配は `2 theta`）での最初のステップ（`v = 0`）、`theta = [1]`、"
              "`eta = 0.1`、`mu = 0.9`",
    },
    "optimizers.case.second_step": {
        "en": "a second step on L = theta^2: theta = [0.8], v = [-0.2], eta = 0.1, mu = 0.9",
        "ja": "`L = theta^2` での 2 ステップ目、`theta = [0.8]`、`v = [-0.2]`、`eta = 0.1`、"
              "`mu = 0.9`",
    },
    "optimizers.case.two_coordinates": {
        "en": "two coordinates, A = diag(1, 10), theta = [1, 1], v = [0.5, -0.5], eta = 0.05, "
              "mu = 0.5",
        "ja": "2 つの座標、`A = diag(1, 10)`、`theta = [1, 1]`、`v = [0.5, -0.5]`、"
              "`eta = 0.05`、`mu = 0.5`",
    },
    "optimizers.case.mu_zero": {
        "en": "mu = 0 (plain gradient descent), A = diag(1, 3), theta = [2, -1], v = [0.3, 0.3], "
              "eta = 0.1",
        "ja": "`mu = 0`（ふつうの勾配降下法）、`A = diag(1, 3)`、`theta = [2, -1]`、"
              "`v = [0.3, 0.3]`、`eta = 0.1`",
    },
    "optimizers.theta_v_changed": {
        "en": "your function changed theta or v in place; return new arrays.",
        "ja": "あなたの関数が `theta` か `v` をその場で書き換えました。新しい配列を返して"
              "ください。",
    },
    "optimizers.new_velocity": {
        "en": "the new velocity v_new",
        "ja": "新しい速度 `v_new`",
    },
    "optimizers.case.three_steps": {
        "en": "three steps on L = theta^2 / 2 from theta = [1], v = [0], eta = 0.5, mu = 0.5",
        "ja": "`L = theta^2 / 2` で `theta = [1]`、`v = [0]` から 3 ステップ、`eta = 0.5`、"
              "`mu = 0.5`",
    },
    "optimizers.theta_after_step": {
        "en": "theta after step {step}",
        "ja": "ステップ {step} の後の `theta`",
    },
    "optimizers.case.rotated_bowl": {
        "en": "60 steps on a rotated bowl with condition number 100, eta = 0.01, mu = 0.9",
        "ja": "条件数 100 の回転したお椀形で 60 ステップ、`eta = 0.01`、`mu = 0.9`",
    },
    "optimizers.theta_after_60": {
        "en": "theta after 60 steps",
        "ja": "60 ステップ後の `theta`",
    },
    "optimizers.warmup_from_zero": {
        "en": "your warm-up starts at 0: a step with learning rate 0 is wasted. Step k of the "
              "warm-up has (k + 1) / W of the peak, so it reaches the peak at step W - 1.",
        "ja": "ウォームアップが 0 から始まっています。学習率 0 のステップは無駄になります。"
              "ウォームアップのステップ `k` の学習率はピークの `(k + 1) / W` 倍なので、ステップ "
              "`W - 1` でピークに達します。",
    },
    "optimizers.negative_rate": {
        "en": "a learning rate is negative: the cosine part is the peak times (1 + cos(...)) / 2, "
              "which never goes below 0.",
        "ja": "学習率が負になっています。コサインの部分はピークの `(1 + cos(...)) / 2` 倍で、"
              "0 を下回ることはありません。",
    },
    "optimizers.cosine_phase": {
        "en": "the cosine should start where the warm-up ends: use the steps since the warm-up, "
              "k - W, out of the T - W steps that remain.",
        "ja": "コサインはウォームアップが終わったところから始まります。残りの `T - W` ステップの"
              "うち、ウォームアップの後に進んだステップ数 `k - W` を使ってください。",
    },
    "optimizers.rate_of_step": {
        "en": "the rate of step {k}",
        "ja": "ステップ {k} の学習率",
    },
    "optimizers.rate_of_step_number": {
        "en": "the rate of step {k} (a single number)",
        "ja": "ステップ {k} の学習率（1 つの数）",
    },
    "optimizers.rates_of_steps": {
        "en": "the rates of steps 0..{last}",
        "ja": "ステップ 0..{last} の学習率",
    },
    "optimizers.rates_of_steps_each": {
        "en": "the rates of steps 0..{last} (one number each)",
        "ja": "ステップ 0..{last} の学習率（それぞれ 1 つの数）",
    },
    "optimizers.rates": {
        "en": "the rates",
        "ja": "学習率",
    },
    "optimizers.case.no_warmup": {
        "en": "no warm-up, T = 10, peak = 1",
        "ja": "ウォームアップなし、`T = 10`、`peak = 1`",
    },
    "optimizers.case.warmup_4": {
        "en": "T = 10, peak = 0.1, warm-up W = 4",
        "ja": "`T = 10`、`peak = 0.1`、ウォームアップ `W = 4`",
    },
    "optimizers.case.steps": {
        "en": "{description}, steps {steps}",
        "ja": "{description}、ステップ {steps}",
    },
    "optimizers.case.whole_schedule": {
        "en": "the whole schedule for T = 200, peak = 0.5, W = 20",
        "ja": "`T = 200`、`peak = 0.5`、`W = 20` のスケジュール全体",
    },
    "optimizers.rate_not_positive": {
        "en": "a learning rate is 0 or negative; every step of the schedule should move a little.",
        "ja": "学習率が 0 以下になっています。スケジュールのどのステップでも、少しは動く必要が"
              "あります。",
    },
    "optimizers.above_peak": {
        "en": "a learning rate is above the peak.",
        "ja": "学習率がピークを超えています。",
    },
    "optimizers.warmup_not_rising": {
        "en": "the warm-up rates do not rise.",
        "ja": "ウォームアップ中の学習率が増えていません。",
    },
    "optimizers.not_falling": {
        "en": "the rates after the warm-up do not fall at every step.",
        "ja": "ウォームアップの後の学習率が、ステップごとに減っていません。",
    },
    "optimizers.case.noisy_sgd": {
        "en": "SGD with noisy gradients on L = theta^2 / 2 (400 runs of 400 steps, peak 0.1, "
              "W = 20): the schedule must end closer to the minimum than the constant rate 0.1",
        "ja": "`L = theta^2 / 2` でノイズのある勾配を使う SGD（400 ステップを 400 回、ピーク "
              "0.1、`W = 20`）で、スケジュールが一定の学習率 0.1 よりも最小点の近くで終わること",
    },
    "optimizers.not_below_constant": {
        "en": "with your schedule the final loss is not well below the constant rate's; the "
              "noise of the last steps is damped only if the rate falls towards 0 at the end.",
        "ja": "あなたのスケジュールでは、最終的な損失が一定の学習率の場合より十分に小さくなって"
              "いません。最後のほうのステップのノイズが抑えられるのは、学習率が最後に 0 に向かって"
              "下がるときだけです。",
    },
    # --- linear_classifiers (chapter 5) ----------------------------------------------------------
    "linear_classifiers.tuple": {
        "en": "return a tuple ({listing}), in that order; got {kind}.",
        "ja": "（{listing}）の順に並べたタプルを返してください。返されたのは {kind} です。",
    },
    "linear_classifiers.tuple_length": {
        "en": "return a tuple ({listing}), in that order; got {kind} of length {length}.",
        "ja": "（{listing}）の順に並べたタプルを返してください。返されたのは長さ {length} の "
              "{kind} です。",
    },
    "linear_classifiers.one_number": {
        "en": "{what} should be one number, got an array of shape {shape}.",
        "ja": "{what}は 1 つの数であるべきですが、形状 {shape} の配列になっています。",
    },
    "linear_classifiers.inputs_changed": {
        "en": "your function changed one of its inputs in place; compute new arrays.",
        "ja": "あなたの関数が入力のどれかをその場で書き換えました。新しい配列で計算してください。",
    },
    "linear_classifiers.case.points": {
        "en": "3 classes of 2-D points with 5, 2 and 9 points (labels shuffled)",
        "ja": "2 次元の点の 3 クラス、点の数は 5、2、9（ラベルはシャッフル済み）",
    },
    "linear_classifiers.case.ink": {
        "en": "5 classes of 12-pixel images with very different amounts of ink",
        "ja": "12 画素の画像の 5 クラス、インクの量がクラスごとに大きく異なるもの",
    },
    "linear_classifiers.W_transposed": {
        "en": "W has shape {shape} = (K, D): one column per class is (D, K) = {expected}; which "
              "way round do the means go?",
        "ja": "`W` の形状が {shape} = (K, D) になっています。クラスごとに 1 列なら (D, K) = "
              "{expected} です。平均はどちら向きに並べればよいでしょうか。",
    },
    "linear_classifiers.W_columns": {
        "en": "W (one column per class, (D, K))",
        "ja": "`W`（クラスごとに 1 列、(D, K)）",
    },
    "linear_classifiers.b_per_class": {
        "en": "b (one bias per class, (K,))",
        "ja": "`b`（クラスごとに 1 つのバイアス、(K,)）",
    },
    "linear_classifiers.no_bias": {
        "en": "your scores behave like x · mu_k with no bias: a class whose mean is long (much "
              "ink) wins too often. Expand ||x - mu_k||^2 and see which terms depend on k.",
        "ja": "あなたのスコアはバイアスのない `x · mu_k` のように振る舞っています。平均の長い"
              "（インクの多い）クラスが勝ちすぎます。`||x - mu_k||^2` を展開し、どの項が `k` に"
              "依存するかを見てください。",
    },
    "linear_classifiers.bias_factor": {
        "en": "the bias depends on ||mu_k||^2 as it should, but with the wrong factor: expand "
              "||x - mu_k||^2 and match it term by term with a score x · w_k + b_k.",
        "ja": "バイアスは正しく `||mu_k||^2` に依存していますが、係数が違います。"
              "`||x - mu_k||^2` を展開し、スコア `x · w_k + b_k` と項ごとに対応させてください。",
    },
    "linear_classifiers.bias_sign": {
        "en": "the bias has the wrong sign: a longer mean must be penalised, not rewarded.",
        "ja": "バイアスの符号が逆です。長い平均は有利にするのではなく、不利にしなければ"
              "なりません。",
    },
    "linear_classifiers.not_nearest": {
        "en": "{wrong} of {total} test points get a class that is not the one with the nearest "
              "mean. Check that mu_k is the mean of the rows of class k only, and the bias.",
        "ja": "確認用の点 {total} 個のうち {wrong} 個が、平均が最も近いクラスとは違うクラスに"
              "なっています。`mu_k` がクラス `k` の行だけの平均になっているかと、バイアスを"
              "確かめてください。",
    },
    "linear_classifiers.case.hinge_batch": {
        "en": "a batch of 6 random images of 4 pixels, K = 3 classes",
        "ja": "4 画素のランダムな画像 6 枚のバッチ、`K = 3` クラス",
    },
    "linear_classifiers.case.hinge_single": {
        "en": "a single image (N = 1) of 5 pixels, K = 4 classes",
        "ja": "5 画素の画像 1 枚（`N = 1`）、`K = 4` クラス",
    },
    "linear_classifiers.case.hinge_large": {
        "en": "a batch of 9 images of 7 pixels, K = 5 classes, larger weights",
        "ja": "7 画素の画像 9 枚のバッチ、`K = 5` クラス、大きめの重み",
    },
    "linear_classifiers.loss_plus_one": {
        "en": "the loss is exactly 1 too large: does your sum skip the true class j = y_n (whose "
              "margin would always be 1)?",
        "ja": "損失がちょうど 1 だけ大きすぎます。和から正解クラス `j = y_n`（そのマージンは常に "
              "1 になります）を除いていますか。",
    },
    "linear_classifiers.loss_times_N": {
        "en": "the loss is N = {N} times too large: the book's loss is the *mean* over the batch.",
        "ja": "損失が `N = {N}` 倍大きすぎます。この本の損失関数はバッチについての*平均*です。",
    },
    "linear_classifiers.loss": {
        "en": "the loss",
        "ja": "損失",
    },
    "linear_classifiers.grad_times_N": {
        "en": "{name} is N = {N} times too large: divide by the batch size.",
        "ja": "`{name}` が `N = {N}` 倍大きすぎます。バッチサイズで割ってください。",
    },
    "linear_classifiers.grad_sign": {
        "en": "{name} has the wrong sign everywhere.",
        "ja": "`{name}` の符号がすべて逆です。",
    },
    "linear_classifiers.db_sum": {
        "en": "the entries of db do not sum to 0: every active margin pushes one wrong class up "
              "and the true class down by the same amount; is the true class's column of dZ "
              "missing?",
        "ja": "`db` の要素の和が 0 になっていません。有効なマージンはどれも、間違ったクラスを 1 つ"
              "押し上げ、正解クラスを同じ量だけ押し下げます。`dZ` の正解クラスの列が抜けて"
              "いませんか。",
    },
    "linear_classifiers.dW_transposed": {
        "en": "dW has shape {got}, the transpose of W's {shape}.",
        "ja": "`dW` の形状 {got} は、`W` の形状 {shape} の転置になっています。",
    },
    "linear_classifiers.dW_shape": {
        "en": "dW (the shape of W)",
        "ja": "`dW`（`W` と同じ形状）",
    },
    "linear_classifiers.db_shape": {
        "en": "db (the shape of b)",
        "ja": "`db`（`b` と同じ形状）",
    },
    "linear_classifiers.case.margins_met": {
        "en": "every true score ahead of the others by more than 1 (all margins met)",
        "ja": "どの正解スコアも他のスコアを 1 より大きく上回るもの（すべてのマージンを満たす）",
    },
    "linear_classifiers.case.zero_weights": {
        "en": "W = 0 and b = 0 with N = 4 images and K = 5 classes (every margin is 1)",
        "ja": "`W = 0`、`b = 0`、画像 `N = 4` 枚、`K = 5` クラス（どのマージンも 1）",
    },
    "linear_classifiers.case.kink": {
        "en": "integer scores with some margins exactly 0 (the kink: derivative 0 there)",
        "ja": "いくつかのマージンがちょうど 0 になる整数のスコア（折れ目。そこでの微分は 0）",
    },
    "linear_classifiers.kink_active": {
        "en": "your gradient counts a margin of exactly 0 as active; the exercise takes the "
              "derivative there to be 0 (count a margin only when it is strictly positive).",
        "ja": "あなたの勾配は、ちょうど 0 のマージンを有効として数えています。この演習では、"
              "そこでの微分を 0 とします（マージンは厳密に正のときだけ数えてください）。",
    },
    # --- finite_differences (chapter 6) ----------------------------------------------------------
    "finite_differences.case.linear": {
        "en": "a linear map f(x) = A x from 5 inputs to 3 outputs",
        "ja": "入力 5 個から出力 3 個への線形写像 `f(x) = A x`",
    },
    "finite_differences.case.square": {
        "en": "a square linear map f(x) = S x with S not symmetric",
        "ja": "対称でない `S` による正方の線形写像 `f(x) = S x`",
    },
    "finite_differences.case.elementwise": {
        "en": "the element-wise f(x) = x sin(x) on a 4-vector",
        "ja": "4 次元ベクトルに要素ごとに作用する `f(x) = x sin(x)`",
    },
    "finite_differences.case.softmax": {
        "en": "the softmax of a 4-vector",
        "ja": "4 次元ベクトルのソフトマックス",
    },
    "finite_differences.case.one_output": {
        "en": "one output (m = 1): f(x) = [sum of x^2] on a 3-vector",
        "ja": "出力が 1 つ（`m = 1`）の、3 次元ベクトルに対する `f(x)` = [`x^2` の和]",
    },
    "finite_differences.x_changed": {
        "en": "x does not hold its original values after your function returns: put each probed "
              "entry back after its two evaluations.",
        "ja": "関数が終わった後の `x` が元の値に戻っていません。調べた要素は、2 回の評価の後で"
              "元に戻してください。",
    },
    "finite_differences.J_nm": {
        "en": "J has shape {shape} = (n, m): the Jacobian has one row per output and one column "
              "per input, (m, n) = {expected}.",
        "ja": "`J` の形状が {shape} = (n, m) になっています。ヤコビ行列は出力ごとに 1 行、入力"
              "ごとに 1 列で、(m, n) = {expected} です。",
    },
    "finite_differences.J_shape": {
        "en": "J (one row per output, one column per input)",
        "ja": "`J`（出力ごとに 1 行、入力ごとに 1 列）",
    },
    "finite_differences.J_transposed": {
        "en": "J is the transpose of the Jacobian: row i should hold the derivatives of output i.",
        "ja": "`J` がヤコビ行列の転置になっています。第 `i` 行には出力 `i` の微分が入ります。",
    },
    "finite_differences.case.cube": {
        "en": "the element-wise cube f(x) = x^3 at x = (1, 2) with a large step h = 0.1",
        "ja": "要素ごとの 3 乗 `f(x) = x^3`、`x = (1, 2)`、大きな刻み幅 `h = 0.1`",
    },
    "finite_differences.one_sided_x": {
        "en": "this is the one-sided difference (f(x + h e_j) - f(x)) / h; use f(x + h e_j) and "
              "f(x - h e_j), divided by 2h.",
        "ja": "これは片側差分 `(f(x + h e_j) - f(x)) / h` です。`f(x + h e_j)` と "
              "`f(x - h e_j)` を使い、`2h` で割ってください。",
    },
    "finite_differences.twice": {
        "en": "the result is twice too large: divide by 2h, not h.",
        "ja": "結果が 2 倍大きすぎます。`h` ではなく `2h` で割ってください。",
    },
    "finite_differences.J_large_h": {
        "en": "J with h = 0.1",
        "ja": "`h = 0.1` での `J`",
    },
    "finite_differences.case.quadratic": {
        "en": "a quadratic of a 5-vector, its true gradient, 3 random directions",
        "ja": "5 次元ベクトルの二次関数、正しい勾配、ランダムな方向 3 つ",
    },
    "finite_differences.case.logsumexp": {
        "en": "log-sum-exp of a 3x4 matrix, a gradient wrong in one entry, 4 directions",
        "ja": "3x4 行列の `log-sum-exp`、1 要素だけ間違った勾配、方向 4 つ",
    },
    "finite_differences.case.lengths": {
        "en": "a quadratic of a 5-vector along 2 directions of length 10 and 0.1",
        "ja": "5 次元ベクトルの二次関数、長さ 10 と 0.1 の 2 方向",
    },
    "finite_differences.pair": {
        "en": "return a pair (numerical, claimed), in that order.",
        "ja": "`(numerical, claimed)` の順に並べたペアを返してください。",
    },
    "finite_differences.inputs_changed": {
        "en": "your function changed w, g or V; compute w + h v as a new array.",
        "ja": "あなたの関数が `w`、`g`、`V` のどれかを書き換えました。`w + h v` は新しい配列と"
              "して計算してください。",
    },
    "finite_differences.claimed_not_scalar": {
        "en": "claimed has shape {shape}: for each direction the claimed slope is ONE number, the "
              "sum over all entries of g times v (np.dot of two matrices is a matrix product).",
        "ja": "`claimed` の形状が {shape} になっています。各方向について、主張される傾きは `g` と "
              "`v` の積の全要素の和、つまり 1 つの数です（2 つの行列の `np.dot` は行列積に"
              "なります）。",
    },
    "finite_differences.numerical_shape": {
        "en": "numerical (one slope per direction)",
        "ja": "`numerical`（方向ごとに 1 つの傾き）",
    },
    "finite_differences.claimed_shape": {
        "en": "claimed (one slope per direction)",
        "ja": "`claimed`（方向ごとに 1 つの傾き）",
    },
    "finite_differences.swapped": {
        "en": "the two arrays are swapped: (numerical, claimed).",
        "ja": "2 つの配列が入れ替わっています。順番は `(numerical, claimed)` です。",
    },
    "finite_differences.unit_directions": {
        "en": "numerical looks computed along unit directions: use each direction as given, v_r "
              "itself, not v_r / |v_r|.",
        "ja": "`numerical` が単位方向に沿って計算されているようです。各方向は与えられたまま、"
              "`v_r / |v_r|` ではなく `v_r` そのものを使ってください。",
    },
    "finite_differences.case.sum_cubes": {
        "en": "f(w) = sum of w^3 at w = (1, 2) along v = (1, 1) with a large step h = 0.1",
        "ja": "`f(w)` = `w^3` の和、`w = (1, 2)`、方向 `v = (1, 1)`、大きな刻み幅 `h = 0.1`",
    },
    "finite_differences.one_sided_w": {
        "en": "this is the one-sided difference (f(w + h v) - f(w)) / h; use f(w + h v) and "
              "f(w - h v), divided by 2h.",
        "ja": "これは片側差分 `(f(w + h v) - f(w)) / h` です。`f(w + h v)` と `f(w - h v)` を"
              "使い、`2h` で割ってください。",
    },
    "finite_differences.slope_large_h": {
        "en": "the slope with h = 0.1",
        "ja": "`h = 0.1` での傾き",
    },
    # --- backprop (chapter 7) --------------------------------------------------------------------
    "backprop.bias_per_sample": {
        "en": "{name} has one entry per sample: a bias gradient sums the upstream gradient over "
              "the samples (the rows), not over the units.",
        "ja": "`{name}` がサンプルごとに 1 要素になっています。バイアスの勾配は、上流からの勾配を"
              "ユニットについてではなく、サンプル（行）について足し合わせたものです。",
    },
    "backprop.transposed": {
        "en": "{name} has the transposed shape {shape}: in dW = (input)ᵀ G the transpose belongs "
              "on the layer's input, not on G.",
        "ja": "`{name}` が転置された形状 {shape} になっています。`dW = (input)ᵀ G` で転置が付く"
              "のは `G` ではなく、層の入力のほうです。",
    },
    "backprop.times_N": {
        "en": "{name} is N times too large: the loss is a mean over the N samples, so its "
              "gradient carries a factor 1/N.",
        "ja": "`{name}` が `N` 倍大きすぎます。損失関数は `N` 個のサンプルについての平均なので、"
              "その勾配には係数 `1/N` が付きます。",
    },
    "backprop.over_N": {
        "en": "{name} is N times too small: divide by N once only (at the loss), not again in "
              "later layers.",
        "ja": "`{name}` が `N` 分の 1 に小さすぎます。`N` で割るのは（損失関数のところで）1 回"
              "だけで、後の層でもう一度割ってはいけません。",
    },
    "backprop.sign": {
        "en": "{name} has the wrong sign: the gradient of the loss at the logits is P - Y, not "
              "Y - P.",
        "ja": "`{name}` の符号が逆です。ロジットについての損失関数の勾配は `Y - P` ではなく "
              "`P - Y` です。",
    },
    "backprop.not_dict": {
        "en": "the result should be a dict with keys {keys}, got {kind}.",
        "ja": "結果はキー {keys} をもつ辞書であるべきですが、{kind} になっています。",
    },
    "backprop.missing_keys": {
        "en": "the result lacks the key(s) {missing}.",
        "ja": "結果にキー {missing} がありません。",
    },
    "backprop.params_changed": {
        "en": "your function changed the arrays in `params`; a backward pass must leave its "
              "inputs untouched.",
        "ja": "あなたの関数が `params` の配列を書き換えました。逆伝播では入力に手を加えては"
              "いけません。",
    },
    "backprop.gradient": {
        "en": "the gradient {name}",
        "ja": "勾配 `{name}`",
    },
    "backprop.slip": {
        "en": "{name}: {hint}",
        "ja": "`{name}` について：{hint}",
    },
    "backprop.gradient_shape": {
        "en": "the gradient {name} (it has the shape of {name})",
        "ja": "勾配 `{name}`（`{name}` と同じ形状）",
    },
    "backprop.case.batch_4": {
        "en": "a batch of 4 samples, D=5 inputs, H=6 hidden units, K=3 classes",
        "ja": "4 サンプルのバッチ、入力 `D=5`、隠れユニット `H=6`、`K=3` クラス",
    },
    "backprop.case.single": {
        "en": "a single sample (N=1), D=3, H=4, K=2",
        "ja": "1 サンプル（`N=1`）、`D=3`、`H=4`、`K=2`",
    },
    "backprop.case.batch_7": {
        "en": "a batch of 7 samples, D=8, H=3, K=10",
        "ja": "7 サンプルのバッチ、`D=8`、`H=3`、`K=10`",
    },
    "backprop.relu_mask_for_tanh": {
        "en": "this is ReLU's derivative (a 0/1 mask); tanh has its own slope.",
        "ja": "これは ReLU の微分（0/1 のマスク）です。tanh には tanh 固有の傾きがあります。",
    },
    "backprop.tanh_slope_of_input": {
        "en": "the slope 1 - t² needs t = tanh(A), the layer's output, not its input A.",
        "ja": "傾き `1 - t²` の `t` は、層の入力 `A` ではなく、層の出力 `t = tanh(A)` です。",
    },
    "backprop.tanh_skipped": {
        "en": "the gradient skips the tanh node: multiply by its local slope on the way back.",
        "ja": "勾配が tanh のノードを飛ばしています。逆向きにたどるときに、その局所的な傾きを"
              "掛けてください。",
    },
    "backprop.case.batch_9": {
        "en": "a batch of 9 samples, D=7, H=5, K=10",
        "ja": "9 サンプルのバッチ、`D=7`、`H=5`、`K=10`",
    },
    "backprop.relu_skipped": {
        "en": "a ReLU node was skipped on the way back: multiply by its mask [A > 0].",
        "ja": "逆向きにたどるときに ReLU のノードが飛ばされています。そのマスク `[A > 0]` を"
              "掛けてください。",
    },
    "backprop.case.three_batch_5": {
        "en": "a batch of 5 samples, D=6 inputs, hidden sizes 4 and 3, K=3 classes",
        "ja": "5 サンプルのバッチ、入力 `D=6`、隠れ層の大きさ 4 と 3、`K=3` クラス",
    },
    "backprop.case.three_single": {
        "en": "a single sample (N=1), D=3, hidden sizes 5 and 2, K=4",
        "ja": "1 サンプル（`N=1`）、`D=3`、隠れ層の大きさ 5 と 2、`K=4`",
    },
    "backprop.case.three_batch_8": {
        "en": "a batch of 8 samples, D=4, hidden sizes 7 and 6, K=10",
        "ja": "8 サンプルのバッチ、`D=4`、隠れ層の大きさ 7 と 6、`K=10`",
    },
    # --- training (chapter 8) --------------------------------------------------------------------
    "training.pair": {
        "en": "the function should return a pair ({names}), got {kind}",
        "ja": "関数は（{names}）のペアを返す必要がありますが、返されたのは {kind} です",
    },
    "training.pair_length": {
        "en": "the function should return a pair ({names}), got {kind} of length {length}",
        "ja": "関数は（{names}）のペアを返す必要がありますが、返されたのは長さ {length} の "
              "{kind} です",
    },
    "training.case.one_layer": {
        "en": "one layer, W = [[1, -2], [0.5, 3]], b = [4, -1], strength 0.1",
        "ja": "1 層、`W = [[1, -2], [0.5, 3]]`、`b = [4, -1]`、強さ 0.1",
    },
    "training.params_changed": {
        "en": "your function changed `params` in place; return new arrays.",
        "ja": "あなたの関数が `params` をその場で書き換えました。新しい配列を返してください。",
    },
    "training.grads_keys": {
        "en": "grads should be a dict with one entry per parameter, keys {keys} (zeros for the "
              "biases), got keys {got}.",
        "ja": "`grads` はパラメータごとに 1 項目、キー {keys} をもつ辞書であるべきです（バイアス"
              "の分は 0）。返されたキーは {got} です。",
    },
    "training.grads_kind": {
        "en": "grads should be a dict with one entry per parameter, keys {keys} (zeros for the "
              "biases), got {kind}.",
        "ja": "`grads` はパラメータごとに 1 項目、キー {keys} をもつ辞書であるべきです（バイアス"
              "の分は 0）。返されたのは {kind} です。",
    },
    "training.R_number": {
        "en": "R should be one number (a float).",
        "ja": "`R` は 1 つの数（`float`）であるべきです。",
    },
    "training.R_half": {
        "en": "R is half the L1 penalty: the 1/2 belongs to the L2 penalty, where it cancels the 2 "
              "of the square. The L1 penalty has no square and no 1/2.",
        "ja": "`R` が L1 ペナルティの半分になっています。1/2 は L2 ペナルティに付くもので、2 乗"
              "から出る 2 を打ち消すためのものです。L1 ペナルティには 2 乗も 1/2 もありません。",
    },
    "training.R_biases": {
        "en": "R also counts the biases: only the weights (keys ending in 'W') are penalised.",
        "ja": "`R` がバイアスまで数えています。ペナルティを課すのは重み（キーが 'W' で終わる"
              "もの）だけです。",
    },
    "training.penalty_R": {
        "en": "the penalty R",
        "ja": "ペナルティ `R`",
    },
    "training.l2_gradient": {
        "en": "the gradient of 0.W is strength * W: that is the L2 gradient. The derivative of |w| "
              "is the sign of w.",
        "ja": "`0.W` の勾配が `strength * W` になっています。これは L2 の勾配です。`|w|` の微分は "
              "`w` の符号です。",
    },
    "training.gradient_of": {
        "en": "the gradient of {name}",
        "ja": "`{name}` の勾配",
    },
    "training.bias_gradient": {
        "en": "the gradient of the bias 0.b should be zero: biases are not penalised.",
        "ja": "バイアス `0.b` の勾配は 0 であるべきです。バイアスにはペナルティを課しません。",
    },
    "training.case.zero_weight": {
        "en": "a weight that is exactly 0 (|w| has a corner there; use the subgradient 0)",
        "ja": "ちょうど 0 の重み（`|w|` はそこで角をもつので、劣勾配 0 を使う）",
    },
    "training.zero_hint": {
        "en": "w / |w| divides 0 by 0 at w = 0; np.sign gives 0 there.",
        "ja": "`w / |w|` は `w = 0` で 0 を 0 で割ります。`np.sign` ならそこで 0 を返します。",
    },
    "training.case.two_layers": {
        "en": "a two-layer network's parameters 0.W (5, 4), 0.b, 2.W (4, 3), 2.b, strength 0.03, "
              "compared with central differences",
        "ja": "2 層ネットワークのパラメータ `0.W` (5, 4)、`0.b`、`2.W` (4, 3)、`2.b`、強さ 0.03、"
              "中心差分と比較",
    },
    "training.case.plateau_mixed": {
        "en": "losses [1.0, 0.8, 0.9, 0.85, 0.7, 0.75, 0.75, 0.75], base_lr 0.1, factor 0.5, "
              "patience 2",
        "ja": "損失 [1.0, 0.8, 0.9, 0.85, 0.7, 0.75, 0.75, 0.75]、`base_lr` 0.1、`factor` 0.5、"
              "`patience` 2",
    },
    "training.case.plateau_flat": {
        "en": "a flat loss [1, 1, 1, 1, 1, 1, 1], base_lr 1, factor 0.5, patience 2",
        "ja": "横ばいの損失 [1, 1, 1, 1, 1, 1, 1]、`base_lr` 1、`factor` 0.5、`patience` 2",
    },
    "training.case.plateau_falling": {
        "en": "a falling loss [5, 4, 3, 2], base_lr 0.3, factor 0.1, patience 1",
        "ja": "減り続ける損失 [5, 4, 3, 2]、`base_lr` 0.3、`factor` 0.1、`patience` 1",
    },
    "training.case.plateau_patience_1": {
        "en": "losses [2, 3, 1, 1.5, 1.2], base_lr 1, factor 0.1, patience 1",
        "ja": "損失 [2, 3, 1, 1.5, 1.2]、`base_lr` 1、`factor` 0.1、`patience` 1",
    },
    "training.slip_previous": {
        "en": "compare each loss with the best loss so far, not with the previous epoch.",
        "ja": "各損失は、直前のエポックの損失ではなく、それまでで最良の損失と比べてください。",
    },
    "training.slip_tie": {
        "en": "a loss equal to the best is not an improvement (use a strict <).",
        "ja": "最良の損失と等しい損失は改善ではありません（厳密な `<` を使ってください）。",
    },
    "training.slip_no_reset": {
        "en": "after each reduction the count of failed epochs starts again from 0.",
        "ja": "学習率を下げるたびに、改善しなかったエポックの数を 0 から数え直してください。",
    },
    "training.slip_late": {
        "en": "reduce when the count reaches patience, not when it exceeds it.",
        "ja": "学習率を下げるのは、数が `patience` を超えたときではなく、`patience` に達した"
              "ときです。",
    },
    "training.slip_shifted": {
        "en": "rates[e] is the rate decided after epoch e has been measured (so it already "
              "includes a reduction made at epoch e), not the rate epoch e was trained with.",
        "ja": "`rates[e]` は、エポック `e` の結果を測った後に決まる学習率です（つまりエポック "
              "`e` で行った引き下げをすでに含みます）。エポック `e` の学習に使った学習率では"
              "ありません。",
    },
    "training.val_losses_changed": {
        "en": "your function changed val_losses in place.",
        "ja": "あなたの関数が `val_losses` をその場で書き換えました。",
    },
    "training.rates_per_epoch": {
        "en": "the list of rates (one per epoch)",
        "ja": "学習率のリスト（エポックごとに 1 つ）",
    },
    "training.rates": {
        "en": "the list of rates",
        "ja": "学習率のリスト",
    },
    "training.case.residual_one": {
        "en": "one residual layer: N=4, D=3, K=2",
        "ja": "残差層 1 つ、`N=4`、`D=3`、`K=2`",
    },
    "training.case.residual_three": {
        "en": "three residual layers: N=5, D=4, K=3",
        "ja": "残差層 3 つ、`N=5`、`D=4`、`K=3`",
    },
    "training.case.residual_five": {
        "en": "five residual layers and a single sample: N=1, D=3, K=4",
        "ja": "残差層 5 つと 1 サンプル、`N=1`、`D=3`、`K=4`",
    },
    "training.four_things": {
        "en": "the function should return four things: (dWs, dbs, dW_out, db_out).",
        "ja": "関数は 4 つのもの `(dWs, dbs, dW_out, db_out)` を返す必要があります。",
    },
    "training.inputs_changed": {
        "en": "your function changed its inputs in place; a backward pass must leave them "
              "untouched.",
        "ja": "あなたの関数が入力をその場で書き換えました。逆伝播では入力に手を加えては"
              "いけません。",
    },
    "training.lists": {
        "en": "dWs and dbs should be lists of {L} arrays, one per residual layer.",
        "ja": "`dWs` と `dbs` は、残差層ごとに 1 つずつ、{L} 個の配列のリストであるべきです。",
    },
    "training.dW_out_shape": {
        "en": "dW_out (the shape of W_out)",
        "ja": "`dW_out`（`W_out` と同じ形状）",
    },
    "training.db_out_shape": {
        "en": "db_out (the shape of b_out)",
        "ja": "`db_out`（`b_out` と同じ形状）",
    },
    "training.times_N": {
        "en": "every gradient is {N} times too large: the loss is the mean over the batch, so "
              "dZ = (P - Y) / N.",
        "ja": "どの勾配も {N} 倍大きすぎます。損失関数はバッチについての平均なので、"
              "`dZ = (P - Y) / N` です。",
    },
    "training.reversed": {
        "en": "the lists are in reverse order: dWs[0] belongs to Ws[0], the first layer, even "
              "though backprop computes it last.",
        "ja": "リストの順番が逆です。誤差逆伝播法では最後に計算されますが、`dWs[0]` は最初の層 "
              "`Ws[0]` のものです。",
    },
    "training.no_skip": {
        "en": "the gradient does not take the skip path: since H_l = H_{{l-1}} + tanh(A_l), "
              "dH_{{l-1}} is dH_l itself plus what comes back through tanh and W_l.",
        "ja": "勾配がスキップ経路を通っていません。`H_l = H_{{l-1}} + tanh(A_l)` なので、"
              "`dH_{{l-1}}` は `dH_l` そのものに、tanh と `W_l` を通って戻ってくる分を足したもの"
              "です。",
    },
    # --- convolution (chapter 9) -----------------------------------------------------------------
    "convolution.case.naive_one": {
        "en": "one 1-channel 5x5 image, one 3x3 filter, stride 1, no padding",
        "ja": "1 チャンネルの 5x5 画像 1 枚、3x3 フィルター 1 つ、ストライド 1、パディングなし",
    },
    "convolution.case.naive_padding": {
        "en": "two 3-channel 6x7 images, four 3x3 filters, stride 1, padding 1",
        "ja": "3 チャンネルの 6x7 画像 2 枚、3x3 フィルター 4 つ、ストライド 1、パディング 1",
    },
    "convolution.case.naive_stride": {
        "en": "one 2-channel 7x7 image, three 3x3 filters, stride 2, no padding",
        "ja": "2 チャンネルの 7x7 画像 1 枚、3x3 フィルター 3 つ、ストライド 2、パディングなし",
    },
    "convolution.case.naive_not_square": {
        "en": "three 1-channel 8x6 images, two 2x4 filters (not square), stride 2, padding 2",
        "ja": "1 チャンネルの 8x6 画像 3 枚、2x4 フィルター（正方形でない）2 つ、ストライド 2、"
              "パディング 2",
    },
    "convolution.output_size": {
        "en": "the output (N, F, Ho, Wo), Ho = (H + 2*padding - kh)//stride + 1",
        "ja": "出力 (N, F, Ho, Wo)、`Ho = (H + 2*padding - kh)//stride + 1`",
    },
    "convolution.output": {
        "en": "the output",
        "ja": "出力",
    },
    "convolution.case.pool_4x4": {
        "en": "one 1-channel 4x4 input, 2x2 windows",
        "ja": "1 チャンネルの 4x4 入力 1 つ、2x2 の窓",
    },
    "convolution.case.pool_batch": {
        "en": "two 3-channel 6x8 inputs, 2x2 windows",
        "ja": "3 チャンネルの 6x8 入力 2 つ、2x2 の窓",
    },
    "convolution.case.pool_3x3": {
        "en": "one 2-channel 6x6 input, 3x3 windows",
        "ja": "2 チャンネルの 6x6 入力 1 つ、3x3 の窓",
    },
    "convolution.case.pool_odd": {
        "en": "one 1-channel 5x5 input, 2x2 windows (the last row and column are not pooled)",
        "ja": "1 チャンネルの 5x5 入力 1 つ、2x2 の窓（最後の行と列はプーリングされない）",
    },
    "convolution.dX_shape": {
        "en": "dX (it has the shape of X)",
        "ja": "`dX`（`X` と同じ形状）",
    },
    "convolution.pool_nonzero": {
        "en": "dX has more non-zero entries than there are windows: each window should send its "
              "gradient to one input pixel only.",
        "ja": "`dX` の 0 でない要素が窓の数より多くなっています。各窓は勾配を 1 つの入力画素"
              "だけに送ります。",
    },
    "convolution.case.dilation_1": {
        "en": "one 1-channel 6x6 image, one 3x3 filter, dilation 1 (an ordinary convolution)",
        "ja": "1 チャンネルの 6x6 画像 1 枚、3x3 フィルター 1 つ、`dilation = 1`（ふつうの"
              "畳み込み）",
    },
    "convolution.case.dilation_2": {
        "en": "one 1-channel 7x7 image, one 3x3 filter, dilation 2",
        "ja": "1 チャンネルの 7x7 画像 1 枚、3x3 フィルター 1 つ、`dilation = 2`",
    },
    "convolution.case.dilation_3": {
        "en": "two 3-channel 9x8 images, four 2x3 filters (not square), dilation 3",
        "ja": "3 チャンネルの 9x8 画像 2 枚、2x3 フィルター（正方形でない）4 つ、`dilation = 3`",
    },
    "convolution.case.dilation_4": {
        "en": "one 2-channel 10x10 image, two 3x3 filters, dilation 4 (the filter spans 9 pixels)",
        "ja": "2 チャンネルの 10x10 画像 1 枚、3x3 フィルター 2 つ、`dilation = 4`（フィルターが "
              "9 画素にわたる）",
    },
    "convolution.undilated_size": {
        "en": "the output has shape {shape}, the size of an ordinary (dilation 1) convolution: "
              "with dilation the filter covers a larger part of the image, so it fits at fewer "
              "positions.",
        "ja": "出力の形状 {shape} は、ふつうの（`dilation = 1` の）畳み込みの大きさです。"
              "`dilation` があるとフィルターは画像のより広い範囲を覆うので、フィルターを置ける"
              "位置は少なくなります。",
    },
    "convolution.output_shape": {
        "en": "the output (N, F, Ho, Wo)",
        "ja": "出力 (N, F, Ho, Wo)",
    },
    "convolution.no_bias": {
        "en": "the output is right up to the bias: add b[f] to every output of filter f.",
        "ja": "出力はバイアスを除けば正しいです。フィルター `f` のすべての出力に `b[f]` を足して"
              "ください。",
    },
    "convolution.flipped": {
        "en": "the output matches a convolution with the filter flipped: tap (u, v) of W belongs "
              "with the pixel that is u*d rows and v*d columns from the window's corner.",
        "ja": "出力は、フィルターを反転させた畳み込みと一致しています。`W` のタップ `(u, v)` に"
              "対応するのは、窓の隅から `u*d` 行、`v*d` 列離れた画素です。",
    },
    "convolution.case.back_no_overlap": {
        "en": "one 1-channel 6x6 image, two 2x2 filters, stride 2 (the windows do not overlap)",
        "ja": "1 チャンネルの 6x6 画像 1 枚、2x2 フィルター 2 つ、ストライド 2（窓は重ならない）",
    },
    "convolution.case.back_overlap": {
        "en": "one 2-channel 5x5 image, three 3x3 filters, stride 1 (the windows overlap)",
        "ja": "2 チャンネルの 5x5 画像 1 枚、3x3 フィルター 3 つ、ストライド 1（窓が重なる）",
    },
    "convolution.case.back_one_pixel": {
        "en": "two 3-channel 7x7 images, four 3x3 filters, stride 2 (they overlap by one pixel)",
        "ja": "3 チャンネルの 7x7 画像 2 枚、3x3 フィルター 4 つ、ストライド 2（窓が 1 画素"
              "重なる）",
    },
    "convolution.case.back_uncovered": {
        "en": "three 1-channel 8x9 images, two 3x2 filters, stride 3 (the last rows and columns "
              "are in no window)",
        "ja": "1 チャンネルの 8x9 画像 3 枚、3x2 フィルター 2 つ、ストライド 3（最後の行と列は"
              "どの窓にも入らない）",
    },
    "convolution.three_arrays": {
        "en": "the function should return three arrays, (dX, dW, db).",
        "ja": "関数は 3 つの配列 `(dX, dW, db)` を返す必要があります。",
    },
    "convolution.db_shape": {
        "en": "db (one entry per filter, summed over images and positions)",
        "ja": "`db`（フィルターごとに 1 要素、画像と位置について足し合わせたもの）",
    },
    "convolution.dW_shape": {
        "en": "dW (it has the shape of W)",
        "ja": "`dW`（`W` と同じ形状）",
    },
    "convolution.dW_last_image": {
        "en": "dW matches the last image's contribution only: every image of the batch adds to "
              "dW.",
        "ja": "`dW` が最後の画像の寄与とだけ一致しています。バッチのすべての画像が `dW` に"
              "加わります。",
    },
    "convolution.dX_last_filter": {
        "en": "dX matches the last filter's contribution only: every filter that uses a pixel "
              "adds to its gradient.",
        "ja": "`dX` が最後のフィルターの寄与とだけ一致しています。画素を使うすべての"
              "フィルターが、その画素の勾配に加わります。",
    },
    "convolution.dX_uncovered": {
        "en": "dX is not 0 at a pixel that no window covers (the last rows or columns when the "
              "stride does not fit exactly): such pixels do not affect the output.",
        "ja": "どの窓にも入らない画素（ストライドがちょうど合わないときの最後の行や列）で "
              "`dX` が 0 になっていません。そのような画素は出力に影響しません。",
    },
    "convolution.dX_overlap": {
        "en": "dX is right at the pixels that lie in one window but off at pixels that lie in "
              "several: each window that uses a pixel adds its share to that pixel's gradient.",
        "ja": "`dX` は 1 つの窓にだけ入る画素では正しいのに、複数の窓に入る画素では"
              "ずれています。画素を使う窓はどれも、その画素の勾配に自分の分を足します。",
    },
}


def msg(key: str, **fields) -> str:
    """The message ``key`` in the current language, its placeholders filled from ``fields``."""
    try:
        entry = MESSAGES[key]
    except KeyError:
        raise KeyError(f"key must be a key of MESSAGES, got {key!r}") from None
    return entry[language()].format(**fields)


def placeholders(text: str) -> set[tuple[str, str]]:
    """The ``(name, format spec)`` of every placeholder in ``text``."""
    return {(name, spec) for _, name, spec, _ in Formatter().parse(text) if name is not None}
