;; A module whose initial memory (4 pages, 256 KiB) exceeds a 64 KiB memory-limit.
(module (memory (export "memory") 4) (func (export "f") (result i32) (i32.const 1)))
