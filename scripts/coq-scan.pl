#!/usr/bin/env perl
# Reads Coq files, strips comments and strings, and
#   * reports every forbidden command (exit 1): Admitted, admit, give_up, Axiom(s), Conjecture(s),
#     Parameter(s), and Variable(s) / Hypothesis / Hypotheses outside a Section (an axiom there);
#   * prints, for every proved statement (Theorem, Lemma, Corollary, Proposition, Fact, Remark),
#     a line "NAME<TAB>QUALIFIED", QUALIFIED being Library.Module...name (a Section does not
#     qualify: its statements are discharged under their own name when it ends).
#
#   perl coq-scan.pl ROOT_LOGICAL ROOT_DIR FILE...    (FILE relative to ROOT_DIR)
use strict;
use warnings;

my ($logical, $root, @files) = @ARGV;
my $bad = 0;

for my $file (@files) {
  open(my $fh, '<', "$root/$file") or die "coq-scan: cannot read $root/$file\n";
  local $/;
  my $src = <$fh>;
  close $fh;
  # Strip nested comments and string literals, keeping newlines for line numbers.
  my $out = '';
  my $depth = 0;
  my $instr = 0;
  my $n = length $src;
  for (my $i = 0; $i < $n; $i++) {
    my $c = substr($src, $i, 1);
    my $c2 = substr($src, $i, 2);
    if ($instr) {
      if ($c eq '"') {
        if (substr($src, $i + 1, 1) eq '"') { $i++; next; }
        $instr = 0;
      }
      $out .= ($c eq "\n") ? "\n" : ' ';
      next;
    }
    if ($c2 eq '(*') { $depth++; $i++; $out .= '  '; next; }
    if ($depth > 0 && $c2 eq '*)') { $depth--; $i++; $out .= '  '; next; }
    if ($depth > 0) { $out .= ($c eq "\n") ? "\n" : ' '; next; }
    if ($c eq '"') { $instr = 1; $out .= ' '; next; }
    $out .= $c;
  }
  (my $lib = $file) =~ s/\.v$//;
  $lib =~ s{^\./}{};
  $lib =~ s{/}{.}g;
  my @stack;    # entries: ['S', name] for a Section, ['M', name] for a Module
  my $line = 0;
  for my $l (split /\n/, $out, -1) {
    $line++;
    # Commands of interest begin a sentence; a line may hold several.
    for my $sentence (split /(?<=\.)\s+/, $l) {
      $sentence =~ s/^\s+//;
      next if $sentence eq '';
      my $in_section = grep { $_->[0] eq 'S' } @stack;
      if ($sentence =~ /^(?:#\[[^\]]*\]\s*)?(?:Local\s+|Global\s+|Polymorphic\s+)*(Axioms?|Conjectures?|Parameters?)\b/) {
        print STDERR "$root/$file:$line: forbidden '$1'\n";
        $bad = 1;
      }
      if (!$in_section && $sentence =~ /^(?:Local\s+|Global\s+)*(Variables?|Hypothes[ie]s)\b/) {
        print STDERR "$root/$file:$line: forbidden '$1' outside a Section (it is an axiom there)\n";
        $bad = 1;
      }
      if ($sentence =~ /^Section\s+([\w']+)\s*\./) { push @stack, ['S', $1]; }
      elsif ($sentence =~ /^Module\s+(?:Type\s+)?(?:Import\s+|Export\s+)?([\w']+)(?![^.]*:=)[^.]*\.$/) {
        push @stack, ['M', $1];
      }
      elsif ($sentence =~ /^End\s+([\w']+)\s*\./) {
        pop @stack if @stack && $stack[-1][1] eq $1;
      }
      if ($sentence =~ /^(?:#\[[^\]]*\]\s*)?(?:Local\s+|Global\s+)*(?:Theorem|Lemma|Corollary|Proposition|Fact|Remark)\s+([\w']+)/) {
        my $name = $1;
        my $q = join('.', $logical, $lib, (map { $_->[1] } grep { $_->[0] eq 'M' } @stack), $name);
        print "$name\t$q\n";
      }
    }
    # Tactics that close a goal without a proof, anywhere in a line.
    if ($l =~ /(?<![\w'.])(admit|give_up|Admitted)(?![\w'])/) {
      print STDERR "$root/$file:$line: forbidden '$1'\n";
      $bad = 1;
    }
  }
}
exit $bad;
