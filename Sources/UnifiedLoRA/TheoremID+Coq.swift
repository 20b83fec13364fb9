/// The Coq theorems that mechanise each theorem of `Proofs/`: the one home of the mapping from a
/// ``TheoremID`` to the statements of the compiled development (`Proofs/coq/`, compiled and checked
/// for axioms by `scripts/check-proofs`; the binary64 ones, `B64_…`, in `Proofs/coq/binary64/`).
///
/// `claims` prints these names next to the ids it cites. `Tests/ProofsTests/CoqTheoremTests.swift`
/// checks that every name is a `Theorem`/`Lemma` of a compiled `.v` file and that it is listed in the
/// theorem's rows of the table in `Proofs/README.md`.
extension TheoremID {
  /// The Coq statements of this theorem, in the order of its rows in `Proofs/README.md`.
  public var coqTheorems: [String] {
    switch self {
    case .t01:
      [
        "T01_ehat_bounds_report",
        "T01_ehat_bounds_repo",
        "T01_X_bound",
        "T01_phi_range_report",
        "T01_phi_range_repo",
        "T01_open_interval_fails_phi1",
        "T01_open_interval_fails_zero",
        "T01_open_interval_fails_repo",
        "T01_repo_positive",
        "T01_repo_defaults_open_interval",
      ]
    case .t02:
      [
        "B64_squash_one_from_2p54",
        "B64_squash_below_one",
        "B64_squash_2p53",
        "B64_squash_2p53_plus_2",
        "B64_phi_le_1",
        "B64_phi_never_one_report",
        "B64_phi_never_one_repo",
        "B64_ehat_bounded_pow2",
        "B64_ehat_no_overflow",
        "B64_alpha_half_reaches_one",
        "B64_alpha_half_phi_one",
        "B32_squash_one_from_2p25",
      ]
    case .t03:
      [
        "T03_fixed_point_report",
        "T03_fixed_point_report_unique",
        "T03_fixed_point_repo",
        "T03_fixed_point_repo_unique",
        "T03_fixed_point_state_report",
        "T03_exact_ehat",
        "T03_exact_ehat_report",
        "T03_exact_ehat_repo",
        "T03_S_closed_form",
        "T03_S_closed_form_equal",
        "T03_error_bound_report",
        "T03_error_bound_repo",
        "T03_S_rate",
        "T03_converges_report",
        "T03_converges_repo",
        "T03_mode_eventually_report",
        "T03_mode_eventually_repo",
      ]
    case .t04:
      [
        "T04_jacobian_report",
        "T04_eigenvalues",
        "T04_defective_report",
        "T04_defective_repo",
        "T04_repo_rho0_zero",
        "T04_jordan_power",
        "T04_jordan_response_report",
        "T04_jordan_response_repo",
        "T04_jordan_response",
        "T04_estimate_vs_exact_defaults",
      ]
    case .t05:
      [
        "T05_rho0_exact",
        "T05_rho0_counterexample",
        "T05_envelope_report",
        "T05_envelope_repo",
        "g_chord",
        "g_tangent",
        "T05_U_step",
        "T05_U_nonincreasing",
        "T05_certified_settling_report",
        "T05_certified_settling_repo",
        "T05_tm_exists",
        "T05_cert_exists",
        "T05_settling_finite_report",
        "T05_settling_defaults",
        "T05_settling_final_defaults",
        "T05_settling_recovery_defaults",
      ]
    case .t06:
      [
        "T06_monotone_report",
        "T06_monotone_repo",
        "T06_corners_report",
        "T06_corners_repo",
        "T06_fixed_point_monotone",
        "T06_mode_not_monotone",
      ]
    case .t07:
      [
        "T07_invariant_report",
        "T07_invariant_le_report",
        "T07_invariant_repo",
        "T07_mirror_unreachable",
        "T07_sup_phi_E0",
        "T07_mirror_unreachable_E0",
        "T07_C4_false_defaults",
        "T07_sup_phi_E_le_1",
        "T07_mirror_unreachable_E_le_1",
        "T07_mirror_reached_at",
        "T07_mirror_sustained_report",
        "T07_initial_lock_blocks",
        "T07_least_E",
        "T07_E_min_defaults",
        "T07_repo_mirror_threshold",
        "T07_repo_mirror_sustained",
      ]
    case .t08:
      [
        "T08_single_eventually_report",
        "T08_single_eventually_repo",
        "T08_leaves_single_report",
        "T08_leaves_single_repo",
        "T08_below_fixed_point",
        "T08_below_fixed_point_le",
        "T08_default_state_single",
        "T08_defaults_threshold",
        "T08_clean_defaults",
        "T08_clean_fixed_point",
        "T08_repo_defaults_threshold",
        "T08_repo_clean_multi",
      ]
    case .t09:
      [
        "T09_recovery_corrected",
        "T09_recovery_repo",
        "T09_rho0_counterexample",
        "T03_exact_ehat_report",
        "T09_index_report",
        "T09_index_repo",
        "T09_recovery_bound_report",
        "T09_recovery_bound_repo",
        "hi_env_le_Uplus",
        "T09_defaults_K10",
      ]
    case .t10:
      [
        "T10_cooldown_step",
        "T10_cooldown",
        "T10_first_switch",
        "T10_repo_no_cooldown",
      ]
    case .t11:
      [
        "T11_ehat_matters",
        "T11_ehat_matters_repo",
        "T11_phi_matters",
        "T11_mode_matters",
        "T11_last_switch_matters",
      ]
    case .t12:
      [
        "T12_monotone_from_rest",
        "T12_upward_only",
        "T12_at_most_two_switches",
        "T12_default_state_two_switches",
        "T12_chattering_N0",
        "T12_switches_le_changes",
        "T12_switches_le_changes_plus_one",
        "T10_cooldown",
        "T12_unimodal",
        "T12_at_most_five_switches",
        "T12_switch_every_step_N0",
        "chatter_orbit",
        "T12_repo_switch_every_step",
        "T12_repo_reaches_orbit",
        "repo_chatter_orbit",
      ]
    case .t13:
      [
        "T13_no_jump_up",
        "T13_no_jump_down",
        "T13_order_repo",
        "T13_order_repo_down",
        "T13_order_report_N0",
        "T13_skip_large_alpha",
        "T13_cooldown_lock_skips_multi",
      ]
    case .t14:
      [
        "T14_latency_exact",
        "T12_monotone_from_rest",
        "T14_defaults_table_E0",
        "T14_envelope_bounds_report",
        "T14_envelope_bounds_repo",
        "T09_recovery_bound_report",
        "T15_sustained_latency_defaults",
        "T14_envelope_table_defaults",
        "T14_crossings_defaults",
        "T14_detection_latency_E5",
      ]
    case .t15:
      [
        "T15_stability_single_report",
        "T15_stability_single_repo",
        "T15_recovery_envelope_report",
        "T15_recovery_bounded_input_report",
        "T15_C1_positive_report",
        "T15_C1_positive_repo",
        "T15_C1_positive_repo_defaults",
        "T15_C7_bounded_switches_report",
        "T15_C7_band_report",
        "T15_lower_envelope_report",
        "T15_mirror_iff_crossing",
        "T15_least_shock_N0",
        "T15_shock_monotone",
        "T15_least_shock_defaults",
        "T15_least_shock_defaults_N0",
        "T15_sustained_latency_defaults",
        "qrun_sound",
        "qwalk_sound",
        "B64_T15_error_bound",
        "B64_T15_defaults",
        "B64_T15_modes_agree",
        "B64_T15_defaults_modes",
        "B64_C4_phi_below_third",
        "B64_C4_defaults",
        "B64_phi_positive_report",
        "B64_phi_positive_repo",
        "B64_C1_positive_published",
        "B64_zero_loss_fixed",
        "B64_zero_loss_stays",
        "B64_zero_loss_walk_7112",
      ]
    }
  }
}

extension Sequence where Element == TheoremID {
  /// The Coq statements of these theorems, each once, in the order of the ids.
  public var coqTheorems: [String] {
    var seen: Set<String> = []
    return flatMap(\.coqTheorems).filter { seen.insert($0).inserted }
  }
}

/// A report entry that cites theorems: its JSON has every stored property (``EncodesEveryKey``)
/// and, next to the ids, the Coq statements of `theorems` under `coqTheorems`.
public protocol CitesTheorems: EncodesEveryKey {
  var theorems: [TheoremID] { get }
}

extension CitesTheorems {
  /// Every stored property, `nil` as `null`, then `coqTheorems`.
  public func encode(to encoder: any Encoder) throws {
    try encodeEveryKey(to: encoder)
    var coq = encoder.container(keyedBy: CoqTheoremsCodingKey.self)
    try coq.encode(theorems.coqTheorems, forKey: .coqTheorems)
  }
}

/// The JSON key under which a report lists the Coq statements of the theorems it cites, next to
/// their ids (`"coqTheorems"`).
enum CoqTheoremsCodingKey: String, CodingKey {
  case coqTheorems
}
