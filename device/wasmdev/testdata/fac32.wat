;; A plain wasm32 core module for the wasm-64@1.0 tests: fac as in the
;; WebAssembly spec's example (i64), a counter in linear memory, an
;; exported mutable global, and functions that trap, loop, grow memory and
;; call an import nobody provides.
(module
  (import "host" "missing" (func $missing))
  (memory (export "memory") 1 8)
  (global $hits (export "hits") (mut i32) (i32.const 0))
  (func $fac (export "fac") (param $n i64) (result i64)
    (if (result i64) (i64.lt_u (local.get $n) (i64.const 2))
      (then (i64.const 1))
      (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))
  ;; inc adds 1 to the i32 at address 0 and returns it; it counts its calls in $hits.
  (func (export "inc") (result i32)
    (global.set $hits (i32.add (global.get $hits) (i32.const 1)))
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
    (i32.load (i32.const 0)))
  (func (export "get_hits") (result i32) (global.get $hits))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  ;; mix sums an i32, an i64, an f32 and an f64 as f64.
  (func (export "mix") (param i32 i64 f32 f64) (result f64)
    (f64.add
      (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
      (f64.add (f64.promote_f32 (local.get 2)) (local.get 3))))
  (func (export "pair") (result i32 i64) (i32.const 7) (i64.const -8))
  (func (export "spin") (loop $l (br $l)))
  (func (export "boom") (i32.store (i32.const 0) (i32.const 999)) (unreachable))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "call_missing") (call $missing))
  (func (export "ref") (param externref))
)
