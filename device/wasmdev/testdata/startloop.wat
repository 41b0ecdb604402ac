;; A module whose start function never ends: init must stop at the compute limit.
(module (func $s (loop $l (br $l))) (start $s))
