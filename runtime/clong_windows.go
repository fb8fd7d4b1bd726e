package runtime

type clong = int32
