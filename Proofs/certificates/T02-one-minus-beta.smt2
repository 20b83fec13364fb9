; T02 binary64: the run-time complement fl(1 − 0.9) is not the literal 0.1 (SPEC §3).
; Theorem: Proofs/T02-binary64.md, Remark. Query 1: fl(1 − fl(0.9)) = fl(0.1) is unsat.
; Query 2: fl(1 − fl(0.9)) = 0x1.9999999999998p-4 (= 0.09999999999999997779…): negation unsat.
; Query 3: fl(1 − fl(0.1)) = fl(0.9) (the φ complement happens to be the literal): negation unsat.
; expect: unsat unsat unsat
(set-logic QF_FP)
(define-sort D () (_ FloatingPoint 11 53))
(define-fun one () D ((_ to_fp 11 53) RNE 1.0))
(define-fun c () D (fp.sub RNE one ((_ to_fp 11 53) RNE 0.9)))
(push 1)
(assert (fp.eq c ((_ to_fp 11 53) RNE 0.1)))
(check-sat)
(pop 1)
(push 1)
(assert (not (fp.eq c (fp #b0 #b01111111011 #x9999999999998))))
(check-sat)
(pop 1)
(push 1)
(assert (not (fp.eq (fp.sub RNE one ((_ to_fp 11 53) RNE 0.1)) ((_ to_fp 11 53) RNE 0.9))))
(check-sat)
(pop 1)
