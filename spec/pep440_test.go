package spec

import "testing"

func TestNormalizeVersion(t *testing.T) {
	for in, want := range map[string]string{
		"1.0": "1.0", "1.0.0": "1.0.0", "v2.1": "2.1", "01.002": "1.2", "0!1.0": "1.0", "1!2.0": "1!2.0",
		"1.0a1": "1.0a1", "1.0-Alpha.1": "1.0a1", "1.0.beta2": "1.0b2", "1.0c3": "1.0rc3", "1.0-pre4": "1.0rc4",
		"1.0rc": "1.0rc0", "1.0.post1": "1.0.post1", "1.0-1": "1.0.post1", "1.0-r2": "1.0.post2", "1.0rev": "1.0.post0",
		"1.0.dev3": "1.0.dev3", "1.0dev": "1.0.dev0", "1.0a1.post2.dev3": "1.0a1.post2.dev3",
		"1.0+Ubuntu-1": "1.0+ubuntu.1", "1.0+abc.007": "1.0+abc.7", " 3.4 ": "3.4",
	} {
		if got, err := NormalizeVersion(in); err != nil || got != want {
			t.Errorf("NormalizeVersion(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "1.0.x", "1.0+", "1.0+a b", "1..0", "1.0-", "1.0 beta"} {
		if got, err := NormalizeVersion(bad); err == nil {
			t.Errorf("NormalizeVersion(%q) = %q, want an error", bad, got)
		}
	}
}
