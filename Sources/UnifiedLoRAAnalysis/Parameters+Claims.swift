import UnifiedLoRA

extension Parameters {
  /// Evaluates the report's claims C1–C7 (SPEC §5) for these parameters and the sustained input
  /// ranges of `r.box`, answers the standard questions, and lints the configuration.
  ///
  /// Every verdict comes from the analysis (closed forms cross-checked by GSL where the analysis
  /// does so) and every witness is replayed through the core and checked before it is reported.
  ///
  /// - Throws: ``AnalysisError`` when an analysis fails.
  public func claims(_ r: ClaimsRequest) throws(AnalysisError) -> ClaimsReport {
    let reach = try reachability(r.box)
    var claims: [ClaimResult] = []
    claims.append(try claimC1(r))
    claims.append(claimC2(r, reach))
    claims.append(try claimC3(r))
    claims.append(try claimC4(r, reach))
    var c5 = try claimC5(r)
    c5.initialState = restingState(r.clean)
    claims.append(c5)
    claims.append(claimC6())
    claims.append(try claimC7(r, reach))
    for i in claims.indices where claims[i].id != .c5 && claims[i].id != .c6 {
      claims[i].initialState = initial
    }
    var report = ClaimsReport(
      parameters: self, box: r.box, clean: r.clean, shock: r.shock, shockLength: r.shockLength,
      claims: claims, answers: try answers(r), lint: try lint(r, reach))
    report.thresholds = try inputThresholds(givenLoss: r.shock.loss, givenEnv: r.shock.env, crossCheck: false)
    report.thresholdsAtLowStress = try inputThresholds(
      givenLoss: r.clean.loss, givenEnv: r.clean.env, crossCheck: false)
    return report
  }

  var bigLoss: Double { 1e6 }

  /// The box's upper corner with an infinite bound replaced by a large value a user can type.
  func typedCorner(_ box: InputBox) -> ConstantInput {
    ConstantInput(
      loss: box.lossHi.isFinite ? box.lossHi : bigLoss, env: box.envHi.isFinite ? box.envHi : 1e6)
  }
}
