/// The Pig-Latin rule of the training task.
///
/// ```
/// word starts with a vowel (a e i o u)      → word + "way"        apple  → appleway
/// otherwise: move the leading consonant
///   cluster to the end, then "ay"           → rest + cluster + "ay"  string → ingstray
/// "qu" stays together (the u joins the cluster when it follows q)    queen → eenquay, squeal → ealsquay
/// ```
///
/// **The letter y** is a consonant at the start of a word and a vowel anywhere else:
/// `yellow → ellowyay`, `rhythm → ythmrhay`, `my → ymay`. (This is the most common schoolbook
/// convention: y sounds like a consonant only before a vowel sound at the start.)
///
/// **Edge cases.** A word without any vowel (and no y after the first letter), such as `nth`,
/// is all cluster: `nth → nthay`. The input must be lower-case a–z (checked by the caller, the
/// word list filter); the output is at most `count + 3` letters.
public enum PigLatin {
  /// The Pig-Latin form of a lower-case a–z word.
  public static func translate(_ word: String) -> String {
    let letters = Array(word.utf8)
    guard let first = letters.first else { return "" }
    if isVowel(first) { return word + "way" }
    var cut = 1
    while cut < letters.count {
      let c = letters[cut]
      if isVowel(c) || c == UInt8(ascii: "y") {
        // "qu": a u right after q belongs to the cluster.
        if c == UInt8(ascii: "u") && letters[cut - 1] == UInt8(ascii: "q") {
          cut += 1
          continue
        }
        break
      }
      cut += 1
    }
    let rest = letters[cut...]
    let cluster = letters[..<cut]
    return String(decoding: Array(rest) + Array(cluster) + Array("ay".utf8), as: UTF8.self)
  }

  @inline(__always)
  static func isVowel(_ c: UInt8) -> Bool {
    c == UInt8(ascii: "a") || c == UInt8(ascii: "e") || c == UInt8(ascii: "i")
      || c == UInt8(ascii: "o") || c == UInt8(ascii: "u")
  }
}
