# kbuild-pch-prefix.awk: print the leading lines of a C source that a precompiled header may stand in for.
# Used by kbuild-pch-cc (same directory). -v dirs="DIR …" are the compile's -I directories, in order.
#
# Kept, in order: `#include <…>` of a kernel header that has an include guard, and one-line #define/#undef
# without comments. Blank lines and comments are skipped. The first other line
# ends the prefix: a quoted include (the student's own header can change), a conditional, code, anything else.
BEGIN { n = split(dirs, D, " "); inc = 0; out = "" }

# The text of a line with its comments removed; `incomment` carries a /* … across lines.
function uncomment(s,   i, j) {
	if (incomment) {
		if ((j = index(s, "*/")) == 0) return ""
		s = substr(s, j + 2); incomment = 0
	}
	while ((i = index(s, "/*")) > 0) {
		j = index(substr(s, i + 2), "*/")
		if (j == 0) { incomment = 1; return substr(s, 1, i - 1) }
		s = substr(s, 1, i - 1) " " substr(s, i + 2 + j + 1)
	}
	if ((i = index(s, "//")) > 0) s = substr(s, 1, i - 1)
	gsub(/^[ \t]+|[ \t]+$/, "", s)
	return s
}

# The path of <name> along the -I directories, or "" when none has it.
function resolve(name,   k, p, line) {
	for (k = 1; k <= n; k++) {
		p = D[k] "/" name
		if ((getline line < p) >= 0) { close(p); return p }
	}
	return ""
}

# True when the header's first directive opens an include guard (#ifndef X / #define X) or is #pragma once.
function guarded(p,   line, t, saved, guard, ok) {
	saved = incomment; incomment = 0; ok = 0; guard = ""
	while ((getline line < p) > 0) {
		t = uncomment(line)
		if (t == "") continue
		if (guard != "") { ok = (t ~ ("^#[ \t]*define[ \t]+" guard "([ \t]|$)")); break }
		if (t ~ /^#[ \t]*pragma[ \t]+once/) { ok = 1; break }
		if (t ~ /^#[ \t]*ifndef[ \t]+[A-Za-z_][A-Za-z_0-9]*$/) { guard = t; sub(/^#[ \t]*ifndef[ \t]+/, "", guard); continue }
		break
	}
	close(p); incomment = saved
	return ok
}

{
	raw = $0
	t = uncomment(raw)
	if (t == "") next
	if (t ~ /^#[ \t]*include[ \t]*<[^>]+>$/) {
		name = t; sub(/^#[ \t]*include[ \t]*</, "", name); sub(/>$/, "", name)
		p = resolve(name)
		if (p == "" || p !~ /^(\.\/|\/usr\/src\/linux-headers-)/ || !guarded(p)) exit
		out = out "#include <" name ">\n"; inc++
		next
	}
	if (t ~ /^#[ \t]*(define|undef)[ \t]/ && raw !~ /\\[ \t]*$|\/\*|\/\// && !incomment) { out = out raw "\n"; next }
	exit
}
END { if (inc > 0) printf "%s", out }
