;; A memory64 core module for the wasm-64@1.0 tests: fac over f64 (as
;; HyperBEAM's test-64.wasm) and a counter in 64-bit linear memory.
(module
  (memory (export "memory") i64 1)
  (func $fac (export "fac") (param f64) (result f64)
    (if (result f64) (f64.lt (local.get 0) (f64.const 1))
      (then (f64.const 1))
      (else (f64.mul (local.get 0) (call $fac (f64.sub (local.get 0) (f64.const 1)))))))
  (func (export "inc") (result i64)
    (i64.store (i64.const 8) (i64.add (i64.load (i64.const 8)) (i64.const 1)))
    (i64.load (i64.const 8)))
  (func (export "pages") (result i64) (memory.size))
)
