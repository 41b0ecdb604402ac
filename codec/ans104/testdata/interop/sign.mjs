// Signs data items and a bundle with the real JS implementations
// (@dha-team/arbundles and @permaweb/aoconnect) for ans104's interop test.
// Usage: node sign.mjs <outdir> <arweave.jwk.json> <eth-private-hex> <ed25519-seed-hex>
// Writes <outdir>/<name>.bin and prints a JSON manifest
// [{name, file, id, address, signatureType}] on stdout.
import fs from "node:fs";
import path from "node:path";
import http from "node:http";
import crypto from "node:crypto";
import {
  createData, ArweaveSigner, EthereumSigner, Curve25519, bundleAndSignData,
  DataItem,
} from "@dha-team/arbundles";
import { createSigner, createDataItemSigner, connect } from "@permaweb/aoconnect";
import { computeAddress } from "@ethersproject/transactions";
import * as ed from "@noble/ed25519";

const [outdir, jwkPath, ethHex, edSeedHex] = process.argv.slice(2);
const jwk = JSON.parse(fs.readFileSync(jwkPath, "utf8"));
const manifest = [];
const sha256b64 = (b) => crypto.createHash("sha256").update(b).digest("base64url");

function record(name, raw, address) {
  const file = path.join(outdir, name + ".bin");
  fs.writeFileSync(file, raw);
  const item = new DataItem(Buffer.from(raw));
  const entry = { name, file, id: item.id, address, signatureType: item.signatureType };
  manifest.push(entry);
  return entry;
}

// An Ed25519 signer over a raw 32-byte seed (arbundles' Curve25519 leaves
// key/publicKey to subclasses).
class Ed25519Signer extends Curve25519 {
  constructor(seed, pub) { super("", ""); this.seed = seed; this.pub = pub; }
  get key() { return this.seed; }
  get publicKey() { return Buffer.from(this.pub); }
}

const target = crypto.createHash("sha256").update("target").digest();
const anchor = Buffer.from("anchor-anchor-anchor-anchor-0123");
const tags = [
  { name: "Data-Protocol", value: "ao" },
  { name: "Type", value: "Message" },
  { name: "Action", value: "Eval" },
  { name: "Unicode", value: "héllo ✓" },
];
const opts = { target: target.toString("base64url"), anchor: anchor.toString(), tags };

// 1. arbundles signers, one per key type.
const arSigner = new ArweaveSigner(jwk);
const ethSigner = new EthereumSigner(ethHex);
const seed = Buffer.from(edSeedHex, "hex");
const edSigner = new Ed25519Signer(seed, await ed.getPublicKey(seed));
const signed = [];
for (const [name, signer, address] of [
  ["arbundles-arweave", arSigner, sha256b64(arSigner.publicKey)],
  ["arbundles-ethereum", ethSigner, computeAddress(ethSigner.publicKey)],
  ["arbundles-ed25519", edSigner, sha256b64(edSigner.publicKey)],
]) {
  const item = createData("data signed by " + name, signer, opts);
  await item.sign(signer);
  record(name, item.getRaw(), address);
  signed.push(item);
}
const noTags = createData(Buffer.from([0, 1, 2, 255]), arSigner);
await noTags.sign(arSigner);
record("arbundles-arweave-notags", noTags.getRaw(), sha256b64(arSigner.publicKey));
signed.push(noTags);

// 2. A bundle of those items, written raw.
const bundle = await bundleAndSignData(signed, arSigner);
fs.writeFileSync(path.join(outdir, "bundle.bin"), bundle.getRaw());
manifest.push({ name: "bundle", file: path.join(outdir, "bundle.bin"), ids: bundle.getIds() });

// 3. aoconnect (one signer per key and path: its signers are rate-limited).
// (a) createSigner driven as aoconnect's internal toDataItemSigner drives
// it: create() builds the unsigned item, the signer signs its deep hash.
const signer = createSigner(jwk);
let unsigned;
const res = await signer(async ({ publicKey, type = 1 }) => {
  const pk = Buffer.isBuffer(publicKey) ? publicKey : Buffer.from(publicKey);
  unsigned = createData("aoconnect legacy item", { signatureType: type, ownerLength: 512, signatureLength: 512, publicKey: pk }, opts).getRaw();
  return new DataItem(unsigned).getSignatureData();
}, "ans104");
unsigned.set(Buffer.from(res.signature), 2);
record("aoconnect-createSigner", unsigned, res.address);

// (b) the real client calls against a local HTTP server that captures the
// POSTed item: legacy message() with createDataItemSigner (body to MU_URL),
// and mainnet request() with signing-format ans104.
const server = http.createServer((req, resp) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const name = req.url.startsWith("/mu") ? "aoconnect-message" : "aoconnect-mainnet-request";
    record(name, Buffer.concat(chunks), res.address);
    resp.writeHead(200, { "content-type": "application/json" });
    resp.end("{}");
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}`;
const legacy = connect({ MODE: "legacy", MU_URL: url + "/mu", CU_URL: url, GATEWAY_URL: url });
const messageId = await legacy.message({
  process: target.toString("base64url"),
  tags: [{ name: "Action", value: "Eval" }],
  data: "1 + 1",
  signer: createDataItemSigner(jwk),
});
const msgEntry = manifest.find((m) => m.name === "aoconnect-message");
if (msgEntry) msgEntry.clientId = messageId;
const ao = connect({ MODE: "mainnet", URL: url, signer });
await ao.request({ path: "/~process@1.0/push", "signing-format": "ans104", target: target.toString("base64url"), Action: "Eval", data: "1 + 1" });
server.close();

process.stdout.write(JSON.stringify(manifest));
