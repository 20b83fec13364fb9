import Testing
import UnifiedLoRATrainer

@Suite struct PigLatinTests {
  @Test(arguments: [
    ("string", "ingstray"), ("queen", "eenquay"), ("squeal", "ealsquay"), ("apple", "appleway"),
    ("eat", "eatway"), ("quiet", "ietquay"), ("square", "aresquay"), ("school", "oolschay"),
    ("yellow", "ellowyay"), ("rhythm", "ythmrhay"), ("my", "ymay"), ("nth", "nthay"),
    ("ugly", "uglyway"), ("quay", "ayquay"), ("the", "ethay"), ("qi", "iqay"),
  ])
  func rule(word: String, expected: String) {
    #expect(PigLatin.translate(word) == expected, "\(word)")
  }

  @Test func encodingRoundTrip() {
    let s = Encoding.symbols("ingstray", length: Encoding.outputLength)
    #expect(s.count == 11)
    #expect(s[8...].allSatisfy { $0 == Encoding.pad })
    #expect(Encoding.word(s) == "ingstray")
  }

  @Test func filterKeepsLowerCaseWordsOfLengthTwoToEight() {
    let words = WordList.filter("a\nab\nAbc\ncat's\nabcdefgh\nabcdefghi\nzebra\r\nnaïve\n")
    #expect(words == ["ab", "abcdefgh", "zebra"])
  }

  @Test func missingWordListSaysHowToInstallIt() {
    #expect(
      throws: DataError(
        "cannot read the word list '/nonexistent/words': install it with `apt-get install wamerican` (or run `make bootstrap`), or pass --words FILE"
      )
    ) {
      try WordList(path: "/nonexistent/words", seed: 1)
    }
  }

  @Test func splitIsSeededAndDisjoint() throws {
    let words = (0..<1000).map {
      "w" + String(repeating: "a", count: $0 % 6) + String(UnicodeScalar(97 + $0 % 26)!)
        + String(UnicodeScalar(97 + ($0 / 26) % 26)!)
    }
    let a = try WordList(words: words, seed: 3)
    let b = try WordList(words: words, seed: 3)
    let c = try WordList(words: words, seed: 4)
    #expect(a == b)
    #expect(a.train != c.train)
    let all = Set(a.train).union(a.validation).union(a.test)
    #expect(all.count == a.train.count + a.validation.count + a.test.count)
    #expect(all == Set(words))
  }
}
