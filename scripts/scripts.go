// Package scripts embeds ecsbox's scenario library, so that an installed
// ecsbox lists it (`ecsbox scenarios`) without a checkout. Each scenario's
// first comment line says what question it answers.
package scripts

import "embed"

// FS holds the scenario scripts (*.star) of this folder.
//
//go:embed *.star
var FS embed.FS
