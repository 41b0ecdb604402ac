package msgenv

// Entity is the process or the module as the CU describes it in env.
type Entity struct {
	ID    string
	Owner string // the signer's address
	Tags  []Tag  // all its tags in order (no From/Owner filtering here)
}

// Env is the CU's AoGlobal, handed to every handle call of a process.
// Module.Owner is the module transaction's signer, not the process owner.
type Env struct {
	Process Entity
	Module  Entity
}

// JSON returns JSON.stringify(env) as the CU produces it:
// {"Process":{"Id","Owner","Tags"},"Module":{"Id","Owner","Tags"}}.
func (e *Env) JSON() []byte {
	b := make([]byte, 0, 512)
	b = append(b, `{"Process":`...)
	b = appendEntity(b, &e.Process)
	b = append(b, `,"Module":`...)
	b = appendEntity(b, &e.Module)
	return append(b, '}')
}

func appendEntity(b []byte, x *Entity) []byte {
	b = append(b, `{"Id":`...)
	b = AppendString(b, x.ID)
	b = append(b, `,"Owner":`...)
	b = AppendString(b, x.Owner)
	b = append(b, `,"Tags":`...)
	b = AppendTags(b, x.Tags)
	return append(b, '}')
}
