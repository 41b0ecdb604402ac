// Prints hbsig@0.1.5's id() of unsigned messages given as a JSON array of
// flat string-valued objects (argv[2]): [id, ...].
import { id } from 'hbsig'
const msgs = JSON.parse(process.argv[2])
console.log(JSON.stringify(msgs.map((m) => id(m))))
