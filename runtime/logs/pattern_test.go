package logs

import (
	"testing"
)

func TestFilterPatterns(t *testing.T) {
	// Messages and the patterns of the user guide's examples
	// [UG:FilterAndPatternSyntax].
	const (
		fatal    = "[ERROR] A fatal exception has occurred"
		exiting  = "Exiting with ERRORCODE: -1"
		caught   = "[ERROR] Caught IllegalArgumentException"
		warnFail = "[WARN] Failed to process the request"
		both     = "ERROR WARN message"
		errOnly  = "ERROR message"
		warnOnly = "WARN message"
		trail    = `{"eventType": "UpdateTrail", "sourceIPAddress": "111.111.111.111", "arrayKey": ["value", "another value"], "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}], "SomeObject": null, "ThisFlag": true}`
		users    = `{"user": {"id": 1, "email": "John.Stiles@example.com"}, "users": [{"id": 2, "email": "John.Doe@example.com"}, {"id": 3, "email": "Jane.Doe@example.com"}], "actions": ["GET", "PUT", "DELETE"], "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]]}`
		latency  = `{"latency": 700, "errorCode": "400", "numbers": [5]}`
		apache1  = `127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534`
		apache2  = `127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /index.html HTTP/1.0" 404 5324`
	)
	tests := []struct {
		pattern string
		matches map[string]bool
	}{
		{``, map[string]bool{fatal: true, trail: true}},
		{`""`, map[string]bool{fatal: true, exiting: true}},
		{`ERROR`, map[string]bool{fatal: true, exiting: true, warnOnly: false, "error": false}},
		{`"ERROR" - "Exiting"`, map[string]bool{fatal: true, exiting: false}},
		{`ERROR Exception`, map[string]bool{caught: true, fatal: false}},
		{`Failed to process the request`, map[string]bool{warnFail: true, "Failed request": false}},
		{`"Failed to process"`, map[string]bool{warnFail: true, "Failed the process": false}},
		{`?ERROR ?WARN`, map[string]bool{both: true, errOnly: true, warnOnly: true, "INFO x": false}},
		{`ERROR WARN`, map[string]bool{both: true, errOnly: false, warnOnly: false}},
		{`ERROR -WARN`, map[string]bool{both: false, errOnly: true, warnOnly: false}},
		{`?"fatal exception" ?Caught`, map[string]bool{fatal: true, caught: true, warnFail: false}},
		{`%ERROR.*-1%`, map[string]bool{exiting: true, fatal: false}},
		{`%^\[WARN\]%`, map[string]bool{warnFail: true, both: false}},

		{`{ $.eventType = "UpdateTrail" }`, map[string]bool{trail: true, users: false, fatal: false}},
		{`{ $.eventType = Update* }`, map[string]bool{trail: true}},
		{`{ $.eventType = *Trail }`, map[string]bool{trail: true}},
		{`{ $.eventType = Up*Trail }`, map[string]bool{trail: false}},
		{`{ $.sourceIPAddress != 123.123.* }`, map[string]bool{trail: true}},
		{`{ $.arrayKey[0] = "value" }`, map[string]bool{trail: true}},
		{`{ $.objectList[1].id = 2 }`, map[string]bool{trail: true}},
		{`{ $.objectList[1].id = 1 }`, map[string]bool{trail: false}},
		{`{ $.SomeObject IS NULL }`, map[string]bool{trail: true, users: false}},
		{`{ $.SomeOtherObject NOT EXISTS }`, map[string]bool{trail: true}},
		{`{ $.eventType NOT EXISTS }`, map[string]bool{trail: false}},
		{`{ $.ThisFlag IS TRUE }`, map[string]bool{trail: true}},
		{`{ $.ThisFlag IS FALSE }`, map[string]bool{trail: false}},
		{`{ $.arrayKey = 1 }`, map[string]bool{trail: false}},
		{`{ $.arrayKey != 1 }`, map[string]bool{trail: false}},
		{`{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }`, map[string]bool{users: true}},
		{`{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }`, map[string]bool{users: false}},
		{`{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }`, map[string]bool{users: true}},
		{`{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }`, map[string]bool{users: false}},
		{`{ $.latency >= 500 }`, map[string]bool{latency: true}},
		{`{ $.latency > +1000 }`, map[string]bool{latency: false}},
		{`{ $.numbers[0] < 10e3 }`, map[string]bool{latency: true}},
		{`{ $.errorCode = 400 }`, map[string]bool{latency: true}},
		{`{ $.errorCode != 500 }`, map[string]bool{latency: true}},
		{`{ $.latency = * }`, map[string]bool{latency: true, trail: false}},

		{`[ip, user, username, timestamp, request, status_code, bytes]`, map[string]bool{apache1: true, "a b c": false}},
		{`[..., status_code, bytes]`, map[string]bool{apache1: true, "a b": true, "a": false}},
		{`[ip, user, ...]`, map[string]bool{apache1: true}},
		{`[ip, user, username, timestamp, request, status_code = 200, bytes]`, map[string]bool{apache1: true, apache2: false}},
		{`[ip, user, username, timestamp, request, status_code = 4*, bytes]`, map[string]bool{apache1: false, apache2: true}},
		{`[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]`, map[string]bool{apache2: true, apache1: false}},
		{`[ip, user, username, timestamp, request, status_code, bytes > 5000]`, map[string]bool{apache2: true, apache1: false}},
		{`[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000, bytes]`, map[string]bool{apache2: true}},
		{`[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]`, map[string]bool{apache2: true, apache1: false}},
		{`[..., request=*.html*, status_code=4*,]`, map[string]bool{apache2: true, apache1: false}},
		{`[w1=ERROR, w2]`, map[string]bool{both: false, errOnly: true, warnOnly: false}},
		{`[a, , c]`, map[string]bool{"x y z": true, "x y": false}},
		{`[w1=ERROR || w1=WARN, w2]`, map[string]bool{errOnly: true, warnOnly: true, both: false}},
	}
	for _, tt := range tests {
		match, err := parsePattern(tt.pattern)
		if err != nil {
			t.Errorf("%s: %v", tt.pattern, err)
			continue
		}
		for msg, want := range tt.matches {
			if got := match(msg); got != want {
				t.Errorf("%s on %q: %v, want %v", tt.pattern, msg, got, want)
			}
		}
	}
}

func TestFilterPatternErrors(t *testing.T) {
	tests := []struct{ pattern, message string }{
		// Users' records of AWS's refusals.
		{`?Status: timeout`, "Invalid character(s) in term ':'"},
		{`Func(x)`, "Invalid character(s) in term '('"},
		{`"unclosed`, `Invalid character(s) in term '"'`},
		{`-`, "Invalid character(s) in term '-'"},
		{`{ $.a = }`, ""},
		{`{ $.a > abc }`, ""},
		{`{ $.a = 1`, ""},
		{`{ ($.a = 1 }`, ""},
		{`{ $.a IS MAYBE }`, ""},
		{`[a = ]`, ""},
		{`[a, "b"]`, ""},
		{`[a, b`, ""},
		{`%(%`, ""},
	}
	for _, tt := range tests {
		_, err := parsePattern(tt.pattern)
		wantErr(t, err, InvalidParameterException, tt.message)
	}
}
