package py

import "reflect"

// infoOfUnderlying classifies a named element type by its underlying kind.
// It runs once per type in an error path or at export, never per element.
func infoOfUnderlying(v any, size int) elemInfo {
	switch reflect.TypeOf(v).Kind() {
	case reflect.Bool:
		return elemInfo{classBool, size}
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return elemInfo{classSigned, size}
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return elemInfo{classUnsigned, size}
	default:
		return elemInfo{classFloat, size}
	}
}
