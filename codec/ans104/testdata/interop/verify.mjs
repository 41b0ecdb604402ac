// Verifies Go-produced data items and bundles with @dha-team/arbundles for
// ans104's interop test, and computes the legacy CU and SU dedupe
// fingerprints with arbundles so Go's CUDedupeHash/DedupeHash can be compared.
// Usage: node verify.mjs <request.json> where request.json is
// {items: [file...], bundles: [file...]}; prints
// {items: [{file, valid, id, cu, suSorted, suUnsorted, err}], bundles: [{file, valid, ids, err}]}.
import fs from "node:fs";
import { DataItem, unbundleData, createData, deepHash, serializeTags } from "@dha-team/arbundles";

// The CU's fingerprint, exactly as servers/cu hydrateMessages.js computes
// it: createData with an owner-less type-1 signer, then getSignatureData.
const ownerless = { publicKey: Buffer.from(""), ownerLength: 0, signatureLength: 512, signatureType: 1 };
async function cuFingerprint(item) {
  const opts = { tags: item.tags, target: item.target || undefined, anchor: item.rawAnchor.length ? item.rawAnchor.toString("utf8") : undefined };
  const d = createData(item.rawData.toString("utf8"), ownerless, opts);
  return Buffer.from(await d.getSignatureData()).toString("base64url");
}

// The SU's fingerprint (servers/su bytes.rs DataItem::deep_hash): deep hash
// of explicit chunks with type "1", an empty owner and the kept tags
// Avro-encoded (an item without tags contributes no tag bytes).
async function suFingerprint(item, kept) {
  const tagBytes = item.tags.length === 0 ? Buffer.alloc(0) : kept.length ? serializeTags(kept) : Buffer.from([0]);
  const h = await deepHash([
    Buffer.from("dataitem"), Buffer.from("1"), Buffer.from("1"), Buffer.alloc(0),
    item.rawTarget, item.rawAnchor, tagBytes, item.rawData,
  ]);
  return Buffer.from(h).toString("base64url");
}

const byNameValue = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0);

const req = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const out = { items: [], bundles: [] };
for (const file of req.items) {
  const buf = fs.readFileSync(file);
  const r = { file, valid: false, id: "", err: "" };
  try {
    r.valid = await DataItem.verify(buf);
    const item = new DataItem(buf);
    r.id = item.id;
    if (r.valid) {
      const tags = item.tags;
      const kept = tags.filter((t) => t.name !== "Pushed-For");
      r.cu = await cuFingerprint(item);
      r.suUnsorted = await suFingerprint(item, kept);
      r.suSorted = await suFingerprint(item, [...kept].sort(byNameValue));
    }
  } catch (e) { r.err = String(e); }
  out.items.push(r);
}
for (const file of req.bundles) {
  const buf = fs.readFileSync(file);
  let valid = false, ids = [], err = "";
  try {
    const b = unbundleData(buf);
    valid = await b.verify();
    ids = b.getIds();
  } catch (e) { err = String(e); }
  out.bundles.push({ file, valid, ids, err });
}
process.stdout.write(JSON.stringify(out));
